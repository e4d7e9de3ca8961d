// Reading PNG/JPEG files into RgbaImage and writing PNG or JPEG, in Node (pure JS codecs: no native binaries).
// Outputs are checked before any work (a writable folder, a known extension) and written atomically (a temporary
// file in the same folder, then a rename), so a failed or interrupted write never leaves a half-written file.
import { accessSync, constants, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { createRgbaImage, type RgbaImage } from '../techniques/image';
import { PasticheError } from '../techniques/errors';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((byte, i) => bytes[i] === byte);

export function decodeImageBytes(bytes: Uint8Array, label = 'image'): RgbaImage {
  try {
    if (startsWith(bytes, PNG_SIGNATURE)) {
      const png = PNG.sync.read(Buffer.from(bytes));
      return createRgbaImage(png.width, png.height, new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length));
    }
    if (startsWith(bytes, JPEG_SIGNATURE)) {
      const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 2048 });
      return createRgbaImage(decoded.width, decoded.height, new Uint8ClampedArray(decoded.data.buffer, decoded.data.byteOffset, decoded.data.length));
    }
  } catch (error) {
    throw new PasticheError('bad-input', `${label} is not a readable PNG or JPEG (${(error as Error).message}).`);
  }
  throw new PasticheError('bad-input', `${label} is neither a PNG nor a JPEG file.`);
}

export function readImageFile(file: string): RgbaImage {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : code;
    throw new PasticheError('bad-input', `Cannot read ${file}: ${reason}.`);
  }
  return decodeImageBytes(bytes, file);
}

export function encodePng(image: RgbaImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length);
  return PNG.sync.write(png);
}

/** The image formats an output can be, by extension. */
const OUTPUT_FORMATS: Record<string, 'png' | 'jpeg'> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg' };
/** JPEG quality of outputs (0..100). */
const JPEG_QUALITY = 92;

/** Checks, before any work, that `file` can be written: a known extension and an existing, writable folder. */
export function checkOutputFile(file: string): void {
  const extension = path.extname(file).toLowerCase();
  if (!OUTPUT_FORMATS[extension]) throw new PasticheError('bad-params', `Cannot write ${file}: the output must end in .png, .jpg or .jpeg.`);
  const folder = path.dirname(path.resolve(file));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new PasticheError('bad-input', `Cannot write ${file}: the folder ${path.dirname(file)} does not exist.`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new PasticheError('bad-input', `Cannot write ${file}: the folder is not writable.`);
  }
}

/** Writes `image` as PNG or JPEG (by extension) through a temporary file and a rename: all or nothing. */
export function writeImageFile(file: string, image: RgbaImage): void {
  checkOutputFile(file);
  const bytes =
    OUTPUT_FORMATS[path.extname(file).toLowerCase()] === 'jpeg'
      ? jpeg.encode({ data: image.data, width: image.width, height: image.height }, JPEG_QUALITY).data
      : encodePng(image);
  const temporary = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new PasticheError('bad-input', `Cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}
