// Reading PNG/JPEG files into RgbaImage and writing PNG, in Node (pure JS codecs: no native binaries).
import { readFileSync, writeFileSync } from 'node:fs';
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

export function writePngFile(file: string, image: RgbaImage): void {
  try {
    writeFileSync(file, encodePng(image));
  } catch (error) {
    throw new PasticheError('bad-input', `Cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}
