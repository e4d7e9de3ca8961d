// `pastiche tsne FILE... -o map.png`: the lecture's t-SNE grid of a set of images. Each file is embedded
// (MobileNetV2 features, or raw pixels with --pixels), the embeddings mapped to 2-D by t-SNE and snapped to a
// near-square grid, one image per cell, and the grid drawn: every image scaled into its 128 px cell, 8 px apart.
// --json prints [{file, x, y, col, row}]: the t-SNE position scaled to 0..1 per axis, and the grid cell.
import { MAX_COLLECTION_ITEMS } from '../../techniques/collection';
import { composeFrames, fitToCell, gridFrames, TRANSPARENT, tsneGrid, WHITE, type Rgba } from '../../techniques/tsne';
import { numberOption, UsageError, type CliCommand } from '../command';
import { checkOutputFile, saveImageFile } from '../image-files';
import { progressReporter } from '../progress';
import { cliContext } from '../resources';
import { checkInputFiles, chooseEmbedder, embedFiles, PIXELS_OPTION } from './embed-files';

/** Side of a grid cell and the space between cells, px. */
const CELL = 128;
const GAP = 8;

const BACKGROUNDS: Record<string, Rgba> = { white: WHITE, transparent: TRANSPARENT };

function backgroundOption(value: string | boolean | undefined): Rgba {
  const name = typeof value === 'string' ? value : 'white';
  const background = BACKGROUNDS[name];
  if (!background) throw new UsageError(`--background must be white or transparent (got "${name}").`);
  return background;
}

function seedOption(value: string | boolean | undefined): number {
  const seed = numberOption(value, 'seed', 1);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number (got "${value}").`);
  return seed;
}

export const tsneCommand: CliCommand = {
  name: 'tsne',
  summary: 'a t-SNE grid of images: alike next to alike, one image per cell',
  usage: 'FILE... -o MAP.png [--json]',
  options: {
    output: { type: 'string', short: 'o', description: 'where to write the grid: .png, or .jpg/.jpeg (optional with --json)', valueName: 'MAP.png' },
    ...PIXELS_OPTION,
    seed: { type: 'string', description: "t-SNE's random start: the same seed, the same map (default 1)", valueName: 'N' },
    background: { type: 'string', description: 'white (default) or transparent', valueName: 'NAME' },
    json: { type: 'boolean', description: 'print JSON: [{file, x, y, col, row}] (x, y: the t-SNE position scaled to 0..1)' },
  },
  async run(files, options, io) {
    if (files.length < 2) throw new UsageError(`Expected at least two images to map, got ${files.length}.`);
    // The grid assignment is exact, O(n³): beyond this a run would not end in reasonable time.
    if (files.length > MAX_COLLECTION_ITEMS) throw new UsageError(`At most ${MAX_COLLECTION_ITEMS} images fit one map, got ${files.length}.`);
    const output = typeof options.output === 'string' ? options.output : null;
    if (!output && !options.json) throw new UsageError('Missing -o MAP.png.');
    const background = backgroundOption(options.background);
    const seed = seedOption(options.seed);
    if (output) checkOutputFile(output); // before any work, not after a long job
    checkInputFiles(files);

    const context = cliContext(progressReporter('t-SNE', options.quiet === true));
    const embedder = await chooseEmbedder(options.pixels === true, context);
    const { vectors, kept: thumbnails } = await embedFiles(files, embedder, context, {
      progressRange: [0, 0.6],
      keep: output ? (image) => fitToCell(image, CELL) : undefined,
    });
    const grid = await tsneGrid(vectors, context, { seed, progressRange: [0.6, 0.95] });
    let size = '';
    if (output) {
      const layout = gridFrames(grid.items, thumbnails, { cellSize: CELL, gap: GAP });
      await saveImageFile(output, composeFrames(thumbnails, layout, background));
      size = ` (${layout.width}×${layout.height} px)`;
    }
    context.onProgress({ fraction: 1, message: 'done' });
    if (options.json) io.out(JSON.stringify(grid.items.map(({ x, y, col, row }, i) => ({ file: files[i], x, y, col, row }))));
    else io.out(`${files.length} images on a ${grid.columns}×${grid.rows} grid: wrote ${output}${size}`);
  },
};
