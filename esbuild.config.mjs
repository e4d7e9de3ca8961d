// Builds everything that ships or runs: the Figma sandbox script, the one-file UI (with the engine and the
// converted weights inlined: the plugin has no network access), the playground host and the CLI.
// Usage: node esbuild.config.mjs [--watch is not supported: rebuilds take a second]
import * as esbuild from 'esbuild';
import { mkdir, readFile, readdir, writeFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(root, 'dist');
const cacheModels = path.join(root, '.cache', 'models');

/** `import weights from 'pastiche:weights'`: the converted networks as base64, decoded lazily at first use. */
const inlineWeights = {
  name: 'pastiche-weights',
  setup(build) {
    build.onResolve({ filter: /^pastiche:weights$/ }, () => ({ path: 'weights', namespace: 'pastiche' }));
    build.onLoad({ filter: /.*/, namespace: 'pastiche' }, async () => {
      if (!existsSync(cacheModels)) {
        return { errors: [{ text: `No converted models in ${cacheModels}: run "npm run models" first.` }] };
      }
      const table = {};
      for (const name of (await readdir(cacheModels)).sort()) {
        const folder = path.join(cacheModels, name);
        if (!existsSync(path.join(folder, 'weights.json'))) continue;
        table[name] = {
          manifest: JSON.parse(await readFile(path.join(folder, 'weights.json'), 'utf8')),
          base64: (await readFile(path.join(folder, 'weights.bin'))).toString('base64'),
        };
      }
      return { contents: `export default ${JSON.stringify(table)};`, loader: 'js', watchFiles: [] };
    });
  },
};

const browserDefaults = {
  bundle: true,
  minify: true,
  legalComments: 'none',
  target: 'es2020',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  loader: { '.module.css': 'local-css', '.css': 'css' },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};

/** Text that sits inside a <script> element must not close it early. */
const scriptSafe = (code) => code.replace(/<\/(script)/gi, '<\\/$1');

async function buildSandbox() {
  await esbuild.build({
    entryPoints: [path.join(root, 'plugin', 'main.ts')],
    outfile: path.join(dist, 'code.js'),
    bundle: true,
    minify: false,
    format: 'iife',
    // Figma's sandbox runs modern JavaScript but not every newest syntax: ES2017 is safe.
    target: 'es2017',
    logLevel: 'warning',
  });
}

async function buildEngine() {
  const result = await esbuild.build({
    ...browserDefaults,
    entryPoints: [path.join(root, 'ui', 'engine', 'entry.ts')],
    format: 'iife',
    write: false,
    plugins: [inlineWeights],
  });
  return result.outputFiles[0].text;
}

async function buildUi(engineCode) {
  const result = await esbuild.build({
    ...browserDefaults,
    entryPoints: [path.join(root, 'ui', 'index.tsx')],
    format: 'iife',
    write: false,
    outdir: path.join(dist, 'ui'),
  });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js')).text;
  const css = result.outputFiles.find((file) => file.path.endsWith('.css'))?.text ?? '';
  const library = path.join(root, 'node_modules', '@create-figma-plugin', 'ui', 'lib', 'css');
  const baseCss = (await Promise.all(['theme.css', 'base.css'].map((f) => readFile(path.join(library, f), 'utf8')))).join('\n');
  const html = `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<style>${baseCss}\n${css}</style>
</head>
<body>
<div id="app"></div>
<script id="pastiche-engine" type="text/plain">${scriptSafe(engineCode)}</script>
<script>${scriptSafe(js)}</script>
</body>
</html>
`;
  await writeFile(path.join(dist, 'ui.html'), html);
  return html.length;
}

async function buildPlayground() {
  const entry = path.join(root, 'playground', 'host.ts');
  if (!existsSync(entry)) return;
  await esbuild.build({ ...browserDefaults, minify: false, entryPoints: [entry], outfile: path.join(dist, 'playground', 'host.js'), format: 'iife' });
}

async function buildCli() {
  await esbuild.build({
    entryPoints: [path.join(root, 'cli', 'main.ts')],
    outfile: path.join(dist, 'cli.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}

const started = Date.now();
await mkdir(dist, { recursive: true });
await buildSandbox();
const uiBytes = await buildUi(await buildEngine());
await buildPlayground();
if (existsSync(path.join(root, 'cli', 'main.ts'))) await buildCli();
const codeBytes = (await stat(path.join(dist, 'code.js'))).size;
console.log(`built dist/code.js (${(codeBytes / 1024).toFixed(0)} KiB), dist/ui.html (${(uiBytes / 1048576).toFixed(1)} MiB) in ${Date.now() - started} ms`);
