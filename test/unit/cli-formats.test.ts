// The CLI's image files through sharp: inputs upright by their EXIF orientation; WebP, GIF and animated WebP (first
// frame), TIFF and AVIF read with the right pixels; the PNG and JPEG variants the old pure-JS codecs handled (16-bit,
// grey, palette, interlaced PNG; CMYK and progressive JPEG); WebP and JPEG outputs by extension; an unknown output
// extension refused before any work; empty, truncated and unsupported files refused in one line naming the file.
// Test images are made here with sharp, from a 4-colour pattern whose blocks survive lossy coding.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { decodeImage, encodeImage, loadImageFile, READ_FORMATS } from '../../cli/image-files';
import type { RgbaImage } from '../../techniques/image';

jest.setTimeout(60_000);

const run = promisify(execFile);
const bin = path.join(__dirname, '..', '..', 'bin', 'pastiche.cjs');
const folder = mkdtempSync(path.join(tmpdir(), 'pastiche-formats-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

type Rgb = [number, number, number];
const RED: Rgb = [255, 0, 0];
const GREEN: Rgb = [0, 255, 0];
const BLUE: Rgb = [0, 0, 255];
const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

/** W×H RGBA, four solid quadrants: red top-left, green top-right, blue bottom-left, white bottom-right. */
function quadrants(width: number, height: number, colours: [Rgb, Rgb, Rgb, Rgb] = [RED, GREEN, BLUE, WHITE]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = colours[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)];
      data.set([...colour, 255], (y * width + x) * 4);
    }
  }
  return data;
}

const fromRaw = (data: Buffer, width: number, height: number, pageHeight?: number) => sharp(data, { raw: { width, height, channels: 4, pageHeight } });

function pixel(image: RgbaImage, x: number, y: number): number[] {
  const i = (y * image.width + x) * 4;
  return Array.from(image.data.subarray(i, i + 4));
}

/** The pixel at (x, y) is `colour` (opaque), within `tolerance` per channel (lossy codecs). */
function expectColour(image: RgbaImage, x: number, y: number, colour: Rgb, tolerance: number, label: string) {
  const [r, g, b, a] = pixel(image, x, y);
  const off = Math.max(...[r, g, b].map((v, i) => Math.abs(v - colour[i])));
  expect({ label, x, y, rgba: [r, g, b, a], ok: off <= tolerance && a === 255 }).toEqual({ label, x, y, rgba: [r, g, b, a], ok: true });
}

/** The centres of the four quadrants of `image` are, in reading order, `colours`. */
function expectQuadrants(image: RgbaImage, colours: [Rgb, Rgb, Rgb, Rgb], tolerance: number, label: string) {
  const xs = [Math.floor(image.width / 4), Math.floor((3 * image.width) / 4)];
  const ys = [Math.floor(image.height / 4), Math.floor((3 * image.height) / 4)];
  expectColour(image, xs[0], ys[0], colours[0], tolerance, label);
  expectColour(image, xs[1], ys[0], colours[1], tolerance, label);
  expectColour(image, xs[0], ys[1], colours[2], tolerance, label);
  expectColour(image, xs[1], ys[1], colours[3], tolerance, label);
}

async function write(name: string, bytes: Buffer | Promise<Buffer>): Promise<string> {
  const file = path.join(folder, name);
  writeFileSync(file, await bytes);
  return file;
}

async function pastiche(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run('node', [bin, ...args, '--quiet'], { cwd: folder });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

test('a JPEG with EXIF orientation 6 is read upright: width and height swapped, quadrants turned a quarter clockwise', async () => {
  const file = await write('rotated.jpg', fromRaw(quadrants(64, 32), 64, 32).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer());
  expect((await sharp(file).metadata()).orientation).toBe(6);
  const image = await loadImageFile(file);
  expect([image.width, image.height]).toEqual([32, 64]);
  // Stored (x, y) is shown at (H-1-y, x): the stored top row becomes the right column.
  expectQuadrants(image, [BLUE, RED, WHITE, GREEN], 8, 'rotated.jpg');
});

test('WebP, TIFF and AVIF inputs are read with their pixels', async () => {
  const cases: [string, Buffer, number][] = [
    ['lossless.webp', await fromRaw(quadrants(40, 30), 40, 30).webp({ lossless: true }).toBuffer(), 0],
    ['lossy.webp', await fromRaw(quadrants(40, 30), 40, 30).webp({ quality: 90 }).toBuffer(), 12],
    ['image.tiff', await fromRaw(quadrants(40, 30), 40, 30).tiff({ compression: 'lzw' }).toBuffer(), 0],
    ['jpeg-in.tiff', await fromRaw(quadrants(40, 30), 40, 30).tiff({ compression: 'jpeg', quality: 95 }).toBuffer(), 12],
    // AVIF goes through YUV even when 'lossless': near, not exact.
    ['image.avif', await fromRaw(quadrants(40, 30), 40, 30).avif({ lossless: true }).toBuffer(), 12],
  ];
  for (const [name, bytes, tolerance] of cases) {
    const image = await loadImageFile(await write(name, bytes));
    expect({ name, size: [image.width, image.height] }).toEqual({ name, size: [40, 30] });
    expectQuadrants(image, [RED, GREEN, BLUE, WHITE], tolerance, name);
    // Every pixel of a lossless file, not only the centres.
    if (tolerance === 0) expect(Buffer.from(image.data).equals(quadrants(40, 30))).toBe(true);
  }
});

test('an animated GIF or WebP is read as its first frame', async () => {
  const first = quadrants(20, 10);
  const second = quadrants(20, 10, [BLACK, BLACK, BLACK, BLACK]);
  const frames = Buffer.concat([first, second]);
  const gif = await write('two-frames.gif', fromRaw(frames, 20, 20, 10).gif({ delay: [100, 100] }).toBuffer());
  const webp = await write('two-frames.webp', fromRaw(frames, 20, 20, 10).webp({ lossless: true, delay: [100, 100] }).toBuffer());
  for (const file of [gif, webp]) {
    expect((await sharp(file).metadata()).pages).toBe(2);
    const image = await loadImageFile(file);
    expect([image.width, image.height]).toEqual([20, 10]);
    expect(Buffer.from(image.data).equals(first)).toBe(true);
  }
});

test('the PNG and JPEG variants: 16-bit, grey, palette and interlaced PNG; CMYK and progressive JPEG', async () => {
  const rgba = () => fromRaw(quadrants(32, 32), 32, 32);
  const greys: [Rgb, Rgb, Rgb, Rgb] = [[40, 40, 40], [90, 90, 90], [160, 160, 160], [230, 230, 230]];
  // Colours inside the CMYK gamut (pure sRGB green is not): they come back near, through sharp's CMYK profile.
  const inks: [Rgb, Rgb, Rgb, Rgb] = [WHITE, BLACK, [200, 70, 60], [60, 120, 200]];
  const cases: [string, Buffer, [Rgb, Rgb, Rgb, Rgb], number][] = [
    ['16-bit.png', await rgba().toColourspace('rgb16').png().toBuffer(), [RED, GREEN, BLUE, WHITE], 0],
    ['grey.png', await fromRaw(quadrants(32, 32, greys), 32, 32).removeAlpha().toColourspace('b-w').png().toBuffer(), greys, 0],
    ['palette.png', await rgba().png({ palette: true, dither: 0 }).toBuffer(), [RED, GREEN, BLUE, WHITE], 0],
    ['interlaced.png', await rgba().png({ progressive: true }).toBuffer(), [RED, GREEN, BLUE, WHITE], 0],
    ['cmyk.jpg', await fromRaw(quadrants(32, 32, inks), 32, 32).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer(), inks, 24],
    ['progressive.jpg', await rgba().jpeg({ quality: 95, progressive: true }).toBuffer(), [RED, GREEN, BLUE, WHITE], 8],
  ];
  expect((await sharp(cases[0][1]).metadata()).depth).toBe('ushort');
  expect((await sharp(cases[1][1]).metadata()).channels).toBe(1);
  expect((await sharp(cases[2][1]).metadata()).isPalette).toBe(true);
  expect((await sharp(cases[3][1]).metadata()).isProgressive).toBe(true);
  expect((await sharp(cases[4][1]).metadata()).space).toBe('cmyk');
  for (const [name, bytes, colours, tolerance] of cases) {
    const image = await decodeImage(bytes, name);
    expect({ name, size: [image.width, image.height] }).toEqual({ name, size: [32, 32] });
    expectQuadrants(image, colours, tolerance, name);
  }
});

test('outputs: WebP keeps alpha; JPEG lays see-through pixels on white; PNG is exact', async () => {
  const image = { width: 16, height: 16, data: new Uint8ClampedArray(quadrants(16, 16)) };
  for (let i = 3; i < image.data.length / 2; i += 4) image.data[i] = 0; // the top half see-through
  const png = await decodeImage(await encodeImage(image, 'png'), 'out.png');
  expect(Buffer.from(png.data).equals(Buffer.from(image.data))).toBe(true);
  const webp = await decodeImage(await encodeImage(image, 'webp'), 'out.webp');
  expect([pixel(webp, 4, 4)[3], pixel(webp, 4, 12)[3]]).toEqual([0, 255]);
  const jpeg = await decodeImage(await encodeImage(image, 'jpeg'), 'out.jpg');
  expectQuadrants(jpeg, [WHITE, WHITE, BLUE, WHITE], 8, 'out.jpg');
});

test('empty, truncated, unsupported and non-image bytes: one line naming the file and what it reads', async () => {
  const webp = await fromRaw(quadrants(64, 64), 64, 64).webp({ quality: 90 }).toBuffer();
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
  const cases: [string, Buffer, string][] = [
    ['empty.png', Buffer.alloc(0), 'empty.png is empty (0 bytes).'],
    ['text.png', Buffer.from('not an image'), `text.png is not an image pastiche reads (${READ_FORMATS}).`],
    ['truncated.webp', webp.subarray(0, Math.floor(webp.length / 2)), 'truncated.webp is not a readable WebP image (unable to parse image).'],
    ['drawing.svg', svg, `drawing.svg is SVG, which pastiche does not read (it reads ${READ_FORMATS}).`],
  ];
  for (const [name, bytes, message] of cases) await expect(decodeImage(bytes, name)).rejects.toThrow(message);
  const png = await fromRaw(quadrants(64, 64), 64, 64).png().toBuffer();
  await expect(decodeImage(png.subarray(0, png.length - 40), 'cut.png')).rejects.toThrow(/^cut\.png is not a readable PNG image \(.+\)\.$/);
});

test('the command: a truncated WebP is one line; -o out.webp writes a WebP; -o out.gif is refused before any work', async () => {
  const webp = await fromRaw(quadrants(64, 48), 64, 48).webp({ quality: 90 }).toBuffer();
  await write('photo.webp', webp);
  await write('cut.webp', webp.subarray(0, webp.length - 100));

  const truncated = await pastiche('invert', 'cut.webp', '-o', 'x.png');
  expect(truncated.code).not.toBe(0);
  expect(truncated.stderr.trim().split('\n')).toHaveLength(1);
  expect(truncated.stderr).toMatch(/^pastiche: cut\.webp is not a readable WebP image \(.+\)\.\n$/);

  expect(await pastiche('invert', 'photo.webp', '-o', 'out.webp')).toEqual({ code: 0, stderr: '' });
  const bytes = readFileSync(path.join(folder, 'out.webp'));
  expect([bytes.subarray(0, 4).toString('latin1'), bytes.subarray(8, 12).toString('latin1')]).toEqual(['RIFF', 'WEBP']);
  const inverted = await loadImageFile(path.join(folder, 'out.webp'));
  expect([inverted.width, inverted.height]).toEqual([64, 48]);
  expectQuadrants(inverted, [[0, 255, 255], [255, 0, 255], [255, 255, 0], BLACK], 16, 'out.webp');

  expect(await pastiche('invert', 'photo.webp', '-o', 'out.jpeg')).toEqual({ code: 0, stderr: '' });
  expect((await sharp(path.join(folder, 'out.jpeg')).metadata()).format).toBe('jpeg');

  // The input does not even exist: the output's extension is what is refused, before the input is read.
  const gif = await pastiche('invert', 'no-such-input.png', '-o', 'out.gif');
  expect(gif.code).not.toBe(0);
  expect(gif.stderr).toBe('pastiche: Cannot write out.gif: the output must end in .png, .jpg, .jpeg or .webp.\n');
});
