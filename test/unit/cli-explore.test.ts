// `pastiche similar` and `pastiche tsne` in-process through main(), on real files (the cache's content and style
// images and a mirrored copy written to a temp folder) with the real MobileNetV2: the mirrored copy ranks first for
// its original; the t-SNE grid is a PNG of the grid's size with one cell per file; errors are one line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodePng, readImageFile } from '../../cli/image-files';
import { main } from '../../cli/main';
import { assetPath } from '../support/assets';
import { flipHorizontal } from '../support/explore-augment';

jest.setTimeout(120_000);

const folder = mkdtempSync(path.join(tmpdir(), 'pastiche-explore-'));
const chelsea = assetPath('content', 'chelsea');
const coffee = assetPath('content', 'coffee');
const astronaut = assetPath('content', 'astronaut');
const mirrored = path.join(folder, 'chelsea-mirrored.png');
writeFileSync(mirrored, encodePng(flipHorizontal(readImageFile(chelsea))));
const paintings = ['starry_night', 'great_wave', 'the_scream', 'shipwreck'].map((name) => assetPath('styles', name));

afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** main(argv) with stdout lines and stderr text captured. */
async function pastiche(...argv: string[]): Promise<{ code: number; lines: string[]; stderr: string }> {
  const lines: string[] = [];
  let stderr = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    // main's io is typed after process.stdout.write, which answers a boolean.
    const out = (line: string) => {
      lines.push(line);
      return true;
    };
    const code = await main(argv, { out });
    return { code, lines, stderr };
  } finally {
    spy.mockRestore();
  }
}

test('--help lists similar and tsne', async () => {
  const { lines } = await pastiche('--help');
  expect(lines.join('\n')).toMatch(/^ {2}similar /m);
  expect(lines.join('\n')).toMatch(/^ {2}tsne /m);
  const tsneHelp = (await pastiche('tsne', '--help')).lines.join('\n');
  for (const option of ['--output', '--json', '--pixels', '--seed', '--background']) expect(tsneHelp).toContain(option);
});

test('similar: a mirrored copy ranks first among the content images; the query itself is never a match', async () => {
  const json = await pastiche('similar', chelsea, coffee, astronaut, mirrored, chelsea, '--json');
  expect(json).toMatchObject({ code: 0, stderr: '' });
  expect(json.lines).toHaveLength(1);
  const matches = JSON.parse(json.lines[0]) as { file: string; score: number }[];
  expect(matches[0].file).toBe(mirrored);
  expect(matches.map((m) => m.file).sort()).toEqual([mirrored, coffee, astronaut].sort()); // the query's own file left out
  const scores = matches.map((m) => m.score);
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  expect(scores[0]).toBeGreaterThan(0.8);
  expect(scores.every((s) => s >= -1 && s <= 1)).toBe(true);

  // Lines "score<TAB>file", best first, --top of them; raw pixels with --pixels.
  const text = await pastiche('similar', chelsea, coffee, astronaut, mirrored, ...paintings, '--top', '2', '--pixels');
  expect(text.code).toBe(0);
  expect(text.lines).toHaveLength(2);
  for (const line of text.lines) expect(line).toMatch(/^-?\d\.\d{4}\t.+$/);
  const pixelScores = text.lines.map((line) => Number(line.split('\t')[0]));
  expect(pixelScores[0]).toBeGreaterThanOrEqual(pixelScores[1]);
});

test('tsne: a PNG of the grid size, one distinct cell per file in --json; a one-line summary without it', async () => {
  const files = [chelsea, coffee, astronaut, mirrored, ...paintings]; // 8 files: a 3×3 grid, one cell empty
  const map = path.join(folder, 'map.png');
  const json = await pastiche('tsne', ...files, '-o', map, '--json');
  expect(json).toMatchObject({ code: 0, stderr: '' });
  const cells = JSON.parse(json.lines[0]) as { file: string; x: number; y: number; col: number; row: number }[];
  expect(cells.map((c) => c.file)).toEqual(files);
  expect(new Set(cells.map((c) => `${c.col},${c.row}`)).size).toBe(files.length);
  for (const c of cells) {
    expect(c.x).toBeGreaterThanOrEqual(0);
    expect(c.x).toBeLessThanOrEqual(1);
    expect(c.y).toBeGreaterThanOrEqual(0);
    expect(c.y).toBeLessThanOrEqual(1);
    expect([c.col, c.row].every((v) => Number.isInteger(v) && v >= 0 && v < 3)).toBe(true);
  }
  const image = readImageFile(map);
  const side = 3 * 128 + 2 * 8;
  expect([image.width, image.height]).toEqual([side, side]);
  const pixel = (x: number, y: number) => Array.from(image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4));
  expect(pixel(130, 130)).toEqual([255, 255, 255, 255]); // a gap between cells: the background
  // The middle of each image's cell shows that image (not the background): photos and paintings fill their cells.
  const middle = pixel(cells[0].col * 136 + 64, cells[0].row * 136 + 64);
  expect(middle[3]).toBe(255);
  expect(middle.slice(0, 3)).not.toEqual([255, 255, 255]);

  const transparent = path.join(folder, 'map-transparent.png');
  const text = await pastiche('tsne', coffee, astronaut, mirrored, '-o', transparent, '--background', 'transparent', '--pixels');
  expect(text.code).toBe(0);
  expect(text.lines).toEqual([`3 images on a 2×2 grid: wrote ${transparent} (264×264 px)`]);
  const clear = readImageFile(transparent);
  expect(clear.data[((130 * clear.width) + 130) * 4 + 3]).toBe(0);
});

test('errors are one line and a non-zero exit, and an output is checked before any work', async () => {
  const fake = path.join(folder, 'fake.png');
  writeFileSync(fake, 'not an image');
  const cases: [string[], RegExp][] = [
    [['tsne', chelsea, '-o', path.join(folder, 'x.png')], /^pastiche: Expected at least two images to map, got 1\. See: pastiche tsne --help$/],
    [['tsne', chelsea, coffee], /^pastiche: Missing -o MAP\.png\. See: pastiche tsne --help$/],
    [['tsne', chelsea, 'nope.png', '-o', path.join(folder, 'x.png')], /^pastiche: Cannot read nope\.png: no such file\.$/],
    [['tsne', chelsea, folder, '-o', path.join(folder, 'x.png')], /: it is a folder\.$/],
    [['tsne', chelsea, fake, '-o', path.join(folder, 'x.png')], /fake\.png is not an image pastiche reads \(PNG, JPEG, WebP, GIF, TIFF, AVIF\)\.$/],
    [['tsne', chelsea, 'nope.png', '-o', path.join(folder, 'no-such-folder', 'x.png')], /^pastiche: Cannot write .*x\.png: the folder .* does not exist\.$/],
    [['tsne', chelsea, coffee, '-o', path.join(folder, 'x.png'), '--background', 'pink'], /^pastiche: --background must be white or transparent \(got "pink"\)\./],
    [['similar', chelsea], /^pastiche: Expected a query image and at least one image to compare it with, got 1 file\./],
    [['similar', chelsea, 'nope.png'], /^pastiche: Cannot read nope\.png: no such file\.$/],
    [['similar', chelsea, coffee, '--top', '0'], /^pastiche: --top must be a whole number of at least 1 \(got "0"\)\./],
  ];
  for (const [argv, message] of cases) {
    const { code, lines, stderr } = await pastiche(...argv);
    expect({ argv, code }).toEqual({ argv, code: 2 });
    expect(lines).toEqual([]);
    const errorLines = stderr.trim().split('\n');
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(message);
  }
});
