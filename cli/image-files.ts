// Reading image files into RgbaImage and writing results, in Node, through sharp (libvips, shipped as prebuilt
// binaries in npm packages). Inputs: PNG, JPEG, WebP, GIF, TIFF and AVIF, upright by their EXIF orientation, the
// first frame of an animation or the first page of a TIFF. Outputs: PNG, JPEG or WebP by extension. The plugin and
// the playground keep the browser's own decoders: nothing here is bundled for the browser.
// Outputs are checked before any work (a writable folder, a known extension) and written atomically (a temporary
// file in the same folder, then a rename), so a failed or interrupted write never leaves a half-written file.
import { accessSync, constants, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Sharp, SharpOptions } from 'sharp';
import { createRgbaImage, type RgbaImage } from '../techniques/image';
import { PasticheError } from '../techniques/errors';

/** What an input can be, as the error messages and the README name it. */
export const READ_FORMATS = 'PNG, JPEG, WebP, GIF, TIFF, AVIF';

/** sharp's name of each format read (metadata().format) -> its name for people. HEIF is AVIF only: the prebuilt
 *  libvips has no HEVC decoder (HEIC photos are refused with a message that says so). */
const INPUT_FORMATS: Record<string, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP', gif: 'GIF', tiff: 'TIFF', heif: 'AVIF' };

/** The image formats an output can be, by extension. */
const OUTPUT_FORMATS: Record<string, 'png' | 'jpeg' | 'webp'> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.webp': 'webp' };
/** The most pixels an input may have (sharp's default limit, 16383², against decompression bombs). */
const MAX_INPUT_PIXELS = 0x3fff * 0x3fff;
/** Quality (1..100) of JPEG and lossy WebP outputs. PNG is lossless. */
export const OUTPUT_QUALITY = 92;

type SharpFactory = (input?: Buffer, options?: SharpOptions) => Sharp;
let sharpModule: SharpFactory | null = null;

/** sharp, loaded on first use (so --help and errors about arguments never load the native library). */
async function loadSharp(): Promise<SharpFactory> {
  if (sharpModule) return sharpModule;
  try {
    const loaded = (await import('sharp')) as unknown as { default?: SharpFactory } & SharpFactory;
    sharpModule = loaded.default ?? loaded;
  } catch (error) {
    const first = String((error as Error).message).split('\n')[0];
    throw new PasticheError('internal', `Cannot load sharp, the CLI's image codecs (${first}): run "npm install" in the project folder.`);
  }
  return sharpModule;
}

/** One line of a libvips message: "Input buffer has corrupt header: VipsJpeg: premature end\n..." -> "premature end". */
function reasonOf(error: unknown): string {
  const message = String((error as Error)?.message ?? error);
  const lines = message
    .split('\n')
    .map((line) => line.replace(/^Input (buffer|file) has corrupt header:/, '').trim())
    .filter(Boolean);
  if (lines.length === 0) return /corrupt header/.test(message) ? 'corrupt header' : 'unknown error';
  return lines[lines.length - 1].replace(/^[\w.]+: /, '').replace(/\.$/, '');
}

const notAnImage = (label: string) => new PasticheError('bad-input', `${label} is not an image pastiche reads (${READ_FORMATS}).`);

/** The format the first bytes announce, for a message about bytes that libvips could not even parse the header of. */
function formatByMagic(bytes: Uint8Array): string | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'PNG';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'JPEG';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'WebP';
  if (ascii(0, 4) === 'GIF8') return 'GIF';
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'TIFF';
  if (ascii(4, 8) === 'ftyp' && /^avi[fs]$/.test(ascii(8, 12))) return 'AVIF';
  return undefined;
}

/** The bytes of `file`, or a one-line error saying why not (no such file, a folder, permission denied). */
export function readImageBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : code;
    throw new PasticheError('bad-input', `Cannot read ${file}: ${reason}.`);
  }
}

/**
 * Decodes an image file's bytes to 8-bit sRGB RGBA, upright by its EXIF orientation; of an animated GIF or WebP
 * the first frame, of a TIFF the first page. Empty, corrupt, truncated or unsupported bytes: one line naming `label`.
 */
export async function decodeImage(bytes: Uint8Array, label = 'image'): Promise<RgbaImage> {
  if (bytes.length === 0) throw new PasticheError('bad-input', `${label} is empty (0 bytes).`);
  const sharp = await loadSharp();
  const input = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  // 'error' (not sharp's default 'warning'): truncated or corrupt data fails, a harmless warning (stray bytes
  // between JPEG markers, which browsers show) does not.
  const options: SharpOptions = { failOn: 'error', pages: 1, page: 0, limitInputPixels: MAX_INPUT_PIXELS };
  let format: string | undefined;
  let compression: string | undefined;
  let width = 0;
  let height = 0;
  try {
    // The header only: no limit here, so that a too large image is told by its size.
    ({ format, compression, width, height } = await sharp(input, { ...options, limitInputPixels: false }).metadata());
  } catch (error) {
    const announced = formatByMagic(input);
    if (!announced && /unsupported image format/i.test(String((error as Error).message))) throw notAnImage(label);
    throw new PasticheError('bad-input', `${label} is not a readable ${announced ?? ''}${announced ? ' ' : ''}image (${reasonOf(error)}).`);
  }
  const name = format && INPUT_FORMATS[format];
  if (!name) throw new PasticheError('bad-input', `${label} is ${format ? format.toUpperCase() : 'an unknown format'}, which pastiche does not read (it reads ${READ_FORMATS}).`);
  if (width * height > MAX_INPUT_PIXELS) throw new PasticheError('too-large', `${label} is ${width}×${height} px: pastiche reads images of at most ${Math.floor(MAX_INPUT_PIXELS / 1e6)} million pixels.`);
  if (format === 'heif' && compression !== 'av1') throw new PasticheError('bad-input', `${label} is HEIC, which pastiche does not read (it reads ${READ_FORMATS}).`);
  try {
    const { data, info } = await sharp(input, options).autoOrient().toColourspace('srgb').ensureAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`${info.channels} channels after conversion`);
    return createRgbaImage(info.width, info.height, new Uint8ClampedArray(data.buffer, data.byteOffset, data.length));
  } catch (error) {
    throw new PasticheError('bad-input', `${label} is not a readable ${name} image (${reasonOf(error)}).`);
  }
}

/** An image file as RGBA (see decodeImage), or a one-line error naming the file. */
export async function loadImageFile(file: string): Promise<RgbaImage> {
  return decodeImage(readImageBytes(file), file);
}

/** Checks, before any work, that `file` can be written: a known extension and an existing, writable folder. */
export function checkOutputFile(file: string): void {
  const extension = path.extname(file).toLowerCase();
  if (!OUTPUT_FORMATS[extension]) throw new PasticheError('bad-params', `Cannot write ${file}: the output must end in .png, .jpg, .jpeg or .webp.`);
  const folder = path.dirname(path.resolve(file));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new PasticheError('bad-input', `Cannot write ${file}: the folder ${path.dirname(file)} does not exist.`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new PasticheError('bad-input', `Cannot write ${file}: the folder is not writable.`);
  }
}

/** `image` encoded as PNG, JPEG (no alpha: see-through pixels laid on white) or WebP. */
export async function encodeImage(image: RgbaImage, format: 'png' | 'jpeg' | 'webp', quality = OUTPUT_QUALITY): Promise<Buffer> {
  const sharp = await loadSharp();
  const pixels = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length);
  const raw = sharp(pixels, { raw: { width: image.width, height: image.height, channels: 4 } });
  // sharp would lay them on black.
  if (format === 'jpeg') return raw.flatten({ background: '#ffffff' }).jpeg({ quality }).toBuffer();
  if (format === 'webp') return raw.webp({ quality }).toBuffer();
  // Adaptive filtering at deflate level 4: the sizes pngjs gave, in its time or less (libvips' default, level 6
  // without adaptive filtering, wrote 4096² photos 2.5x larger).
  return raw.png({ adaptiveFiltering: true, compressionLevel: 4 }).toBuffer();
}

/** Writes `bytes` to `file` through a temporary file in the same folder and a rename: all or nothing. */
export function writeFileAtomically(file: string, bytes: Uint8Array): void {
  const temporary = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new PasticheError('bad-input', `Cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}

/** Writes `image` as PNG, JPEG or WebP (by extension; quality OUTPUT_QUALITY), atomically. */
export async function saveImageFile(file: string, image: RgbaImage): Promise<void> {
  checkOutputFile(file);
  writeFileAtomically(file, await encodeImage(image, OUTPUT_FORMATS[path.extname(file).toLowerCase()]));
}

// Synchronous PNG and JPEG (pngjs, jpeg-js: no EXIF, no other format), for tests and scripts that cannot await.
// The CLI never calls these; the codecs are required on first use, so the CLI never loads them.
const pngjs = () => require('pngjs') as typeof import('pngjs');
const jpegJs = () => require('jpeg-js') as typeof import('jpeg-js');

/** A PNG or JPEG file as RGBA, synchronously (tests and scripts; the CLI uses loadImageFile). */
export function readImageFile(file: string): RgbaImage {
  const bytes = readImageBytes(file);
  try {
    if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
      const png = pngjs().PNG.sync.read(bytes);
      return createRgbaImage(png.width, png.height, new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length));
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
      const decoded = jpegJs().decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 2048 });
      return createRgbaImage(decoded.width, decoded.height, new Uint8ClampedArray(decoded.data.buffer, decoded.data.byteOffset, decoded.data.length));
    }
  } catch (error) {
    throw new PasticheError('bad-input', `${file} is not a readable PNG or JPEG (${(error as Error).message}).`);
  }
  throw new PasticheError('bad-input', `${file} is neither a PNG nor a JPEG file.`);
}

/** `image` as PNG bytes, synchronously (tests and scripts). */
export function encodePng(image: RgbaImage): Buffer {
  const { PNG } = pngjs();
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length);
  return PNG.sync.write(png);
}

/** Writes `image` as PNG, or JPEG for .jpg/.jpeg, synchronously and atomically (tests and scripts). */
export function writeImageFile(file: string, image: RgbaImage): void {
  checkOutputFile(file);
  const format = OUTPUT_FORMATS[path.extname(file).toLowerCase()];
  if (format === 'webp') throw new PasticheError('bad-params', `Cannot write ${file} synchronously: use saveImageFile for WebP.`);
  const bytes = format === 'jpeg' ? jpegJs().encode({ data: image.data, width: image.width, height: image.height }, OUTPUT_QUALITY).data : encodePng(image);
  writeFileAtomically(file, bytes);
}
