// `npm run models` (also run by postinstall): verify, convert and cache the pretrained networks and images.
// Any failure is one line on stderr and exit code 1.
import { SetupError } from './errors';
import { runSetup } from './run-setup';

// PASTICHE_CACHE_DIR moves the cache (tests use a temp folder); PASTICHE_OFFLINE=1 forbids downloads.
runSetup({
  cacheDir: process.env.PASTICHE_CACHE_DIR || undefined,
  allowDownload: process.env.PASTICHE_OFFLINE !== '1',
  log: (line) => console.log(`models: ${line}`),
})
  .then((result) => console.log(`models: done in ${result.elapsedMs} ms`))
  .catch((error: unknown) => {
    console.error(error instanceof SetupError ? error.message : `setup: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  });
