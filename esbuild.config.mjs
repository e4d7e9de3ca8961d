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
    build.onResolve({ filter: /^pastiche:weights$/ }, () => ({ path: 'weights', namespace: 'pastiche-weights' }));
    build.onLoad({ filter: /.*/, namespace: 'pastiche-weights' }, async () => {
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

/** Bundled image kinds (folders of .cache/images that the plugin ships): style paintings and texture samples. */
const IMAGE_KINDS = ['styles', 'textures'];

/**
 * `pastiche:images` (engine: { kind: { id: base64 bytes } }) and `pastiche:thumbnails` (UI: { kind: { id: a small
 * JPEG data URL } }), from the verified cache.
 */
const inlineImages = {
  name: 'pastiche-images',
  setup(build) {
    build.onResolve({ filter: /^pastiche:(images|thumbnails)$/ }, (args) => ({ path: args.path.slice(9), namespace: 'pastiche-images' }));
    build.onLoad({ filter: /^(images|thumbnails)$/, namespace: 'pastiche-images' }, async (args) => {
      const table = {};
      for (const kind of IMAGE_KINDS) {
        const folder = path.join(root, '.cache', 'images', kind);
        if (!existsSync(folder)) return { errors: [{ text: `No ${kind} images in ${folder}: run "npm run models" first.` }] };
        table[kind] = {};
        for (const file of (await readdir(folder)).filter((f) => /\.(jpe?g|png)$/.test(f)).sort()) {
          const bytes = await readFile(path.join(folder, file));
          const id = file.replace(/\.(jpe?g|png)$/, '');
          table[kind][id] = args.path === 'images' ? bytes.toString('base64') : `data:image/jpeg;base64,${(await thumbnail(bytes)).toString('base64')}`;
        }
      }
      return { contents: `export default ${JSON.stringify(table)};`, loader: 'js' };
    });
  },
};

/** `pastiche:labels`: the 1000 ImageNet class names (the verified MobileNetV2 label file, background dropped), for
 *  the Dream panel's class search. */
const inlineLabels = {
  name: 'pastiche-labels',
  setup(build) {
    build.onResolve({ filter: /^pastiche:labels$/ }, () => ({ path: 'labels', namespace: 'pastiche-labels' }));
    build.onLoad({ filter: /.*/, namespace: 'pastiche-labels' }, async () => {
      const file = path.join(root, '.cache', 'sources', 'mobilenet_v2', 'imagenet_labels.txt');
      if (!existsSync(file)) return { errors: [{ text: `No ImageNet labels at ${file}: run "npm run models" first.` }] };
      const labels = (await readFile(file, 'utf8')).split(/\r?\n/).filter((line) => line.trim()).slice(1);
      return { contents: `export default ${JSON.stringify(labels)};`, loader: 'js' };
    });
  },
};

/** A 96 px square JPEG of an image (centre crop, box filter): the preset pickers show these. */
async function thumbnail(bytes, side = 96) {
  const jpeg = (await import('jpeg-js')).default;
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50;
  const { width, height, data } = isPng ? (await import('pngjs')).default.PNG.sync.read(bytes) : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  const crop = Math.min(width, height);
  const x0 = Math.floor((width - crop) / 2);
  const y0 = Math.floor((height - crop) / 2);
  const out = Buffer.alloc(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const sum = [0, 0, 0];
      let count = 0;
      for (let sy = Math.floor((y * crop) / side); sy < Math.floor(((y + 1) * crop) / side); sy++) {
        for (let sx = Math.floor((x * crop) / side); sx < Math.floor(((x + 1) * crop) / side); sx++) {
          const i = ((y0 + sy) * width + x0 + sx) * 4;
          sum[0] += data[i]; sum[1] += data[i + 1]; sum[2] += data[i + 2];
          count++;
        }
      }
      const o = (y * side + x) * 4;
      for (let c = 0; c < 3; c++) out[o + c] = Math.round(sum[c] / Math.max(1, count));
      out[o + 3] = 255;
    }
  }
  return jpeg.encode({ data: out, width: side, height: side }, 85).data;
}

/**
 * @create-figma-plugin/ui imports its global stylesheet as "!../css/base.css" (its own build tool's syntax).
 * We inline theme.css and base.css into ui.html ourselves, so those imports are empty here.
 */
const globalCssInlinedSeparately = {
  name: 'global-css-inlined-separately',
  setup(build) {
    build.onResolve({ filter: /^!.*\.css$/ }, (args) => ({ path: args.path, namespace: 'global-css' }));
    build.onLoad({ filter: /.*/, namespace: 'global-css' }, () => ({ contents: '', loader: 'css' }));
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
    plugins: [inlineWeights, inlineImages],
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
    plugins: [inlineImages, inlineLabels, globalCssInlinedSeparately],
  });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js')).text;
  const css = result.outputFiles.find((file) => file.path.endsWith('.css'))?.text ?? '';
  const library = path.join(root, 'node_modules', '@create-figma-plugin', 'ui', 'lib', 'css');
  const baseCss = (await Promise.all(['theme.css', 'base.css'].map((f) => readFile(path.join(library, f), 'utf8')))).join('\n');
  // The engine's code rides at the end, in one inert element that the sandbox cuts out before opening the window
  // (plugin/ui-document.ts, which names the element): the window gets the panel's 0.2 MB, not 24 MB.
  const html = `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<style>${baseCss}\n${css}</style>
</head>
<body>
<div id="app"></div>
<script>${scriptSafe(js)}</script>
<script id="pastiche-engine" type="text/plain">${scriptSafe(engineCode)}</script>
</body>
</html>
`;
  // The sandbox finds the engine by this opening tag (plugin/ui-document.ts): it must be there, once.
  if (html.split('<script id="pastiche-engine" type="text/plain">').length !== 2) throw new Error('ui.html must hold the engine element exactly once.');
  await writeFile(path.join(dist, 'ui.html'), html);
  return html.length;
}

async function buildPlayground() {
  const entry = path.join(root, 'playground', 'host.ts');
  if (!existsSync(entry)) return;
  await esbuild.build({
    ...browserDefaults,
    minify: false,
    entryPoints: [entry],
    outfile: path.join(dist, 'playground', 'host.js'),
    format: 'iife',
    // The playground reads the component library's theme tokens as text (playground/figma-theme.ts).
    loader: { ...browserDefaults.loader, '.css': 'text' },
  });
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


/**
 * Bench and parity pages (bench/page/entry.ts -> dist/bench/page.js): the engine's networks and techniques beside
 * the reference TFLite interpreter. tfjs-tflite's ESM entry imports a client file the package does not ship, so it
 * is aliased to the package's UMD build; that build's require('@tensorflow/tfjs-core') is pointed at the ESM entry
 * everything else uses (by default it gets the package's "main", a second tfjs-core whose Tensors lack their ops).
 */
async function buildBenchPages() {
  const entry = path.join(root, 'bench', 'page', 'entry.ts');
  if (!existsSync(entry)) return;
  await esbuild.build({
    ...browserDefaults,
    minify: false,
    entryPoints: [entry],
    outfile: path.join(dist, 'bench', 'page.js'),
    format: 'iife',
    plugins: [inlineWeights, inlineImages, {
      name: 'one-tfjs-core',
      setup(build) {
        const esm = path.join(root, 'node_modules', '@tensorflow', 'tfjs-core', 'dist', 'index.js');
        build.onResolve({ filter: /^@tensorflow\/tfjs-core$/ }, (args) => (args.kind === 'require-call' ? { path: esm } : undefined));
      },
    }],
    alias: { '@tensorflow/tfjs-tflite': './node_modules/@tensorflow/tfjs-tflite/dist/tf-tflite.js' },
  });
}

const started = Date.now();
await mkdir(dist, { recursive: true });
await buildSandbox();
const uiBytes = await buildUi(await buildEngine());
await buildPlayground();
if (existsSync(path.join(root, 'cli', 'main.ts'))) await buildCli();
await buildBenchPages();
const codeBytes = (await stat(path.join(dist, 'code.js'))).size;
console.log(`built dist/code.js (${(codeBytes / 1024).toFixed(0)} KiB), dist/ui.html (${(uiBytes / 1048576).toFixed(1)} MiB) in ${Date.now() - started} ms`);
