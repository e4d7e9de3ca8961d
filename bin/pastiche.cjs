#!/usr/bin/env node
// The `pastiche` command: runs the CLI that `npm run build` bundles into dist/cli.cjs.
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.cjs');
if (!fs.existsSync(cli)) {
  process.stderr.write('pastiche: the CLI is not built yet: run "npm run build" in the project folder.\n');
  process.exit(1);
}
require(cli)
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
