// figma.createImage / getImageByHash. Like Figma, createImage refuses anything but a (supported) image and images
// larger than 4096 px a side; the size is read from the PNG header, no decoder needed.
import { readPngSize } from '../../plugin/png-header';
import type { RgbaImage } from './figma-types';

export const MAX_CREATE_IMAGE_SIDE = 4096;

export interface StoredImage {
  hash: string;
  width: number;
  height: number;
  /** PNG bytes for images made with createImage; raw pixels for layers added with addImageLayer. */
  png?: Uint8Array;
  rgba?: RgbaImage;
}

/**
 * A stable 40-hex-digit id for image bytes (Figma's are SHA-1 of the content). FNV-1a with five seeds over the
 * first 4 KB, up to 64 K evenly spread bytes and the last 64 bytes: for a PNG the end holds the zlib Adler-32 of
 * all pixels and the last chunk's CRC, so different images get different hashes without reading megabytes.
 */
export function hashBytes(bytes: ArrayLike<number>): string {
  const n = bytes.length;
  const picks: number[] = [];
  const stride = Math.max(1, Math.floor(n / 65536));
  for (let i = 0; i < Math.min(n, 4096); i++) picks.push(i);
  for (let i = 4096; i < n - 64; i += stride) picks.push(i);
  for (let i = Math.max(4096, n - 64); i < n; i++) picks.push(i);
  let out = '';
  for (let seed = 0; seed < 5; seed++) {
    let h = (0x811c9dc5 ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
    for (const i of picks) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    h = Math.imul(h ^ n, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

export class ImageStore {
  private readonly images = new Map<string, StoredImage>();
  private rgbaCount = 0;

  createImage(bytes: Uint8Array): Image {
    const size = readPngSize(bytes);
    if (!size) throw new Error('Image type is unsupported');
    if (size.width > MAX_CREATE_IMAGE_SIDE || size.height > MAX_CREATE_IMAGE_SIDE) {
      throw new Error(`Image is too large (${size.width}x${size.height}); the maximum is ${MAX_CREATE_IMAGE_SIDE} pixels per side`);
    }
    const png = bytes.slice();
    return this.add({ hash: hashBytes(png), width: size.width, height: size.height, png });
  }

  /** Registers raw pixels as an image (the double's way to make image layers without an encoder). */
  addRgba(rgba: RgbaImage): Image {
    // Raw pixels are not content-addressed here (hashing megabytes for nothing): each gets a fresh, stable hash.
    const tag = `rgba:${++this.rgbaCount}:${rgba.width}x${rgba.height}`;
    return this.add({ hash: hashBytes(Array.from(tag, (c) => c.charCodeAt(0))), width: rgba.width, height: rgba.height, rgba });
  }

  get(hash: string): StoredImage | undefined {
    return this.images.get(hash);
  }

  getImageByHash(hash: string): Image | null {
    const stored = this.images.get(hash);
    return stored ? this.toImage(stored) : null;
  }

  private add(image: StoredImage): Image {
    if (!this.images.has(image.hash)) this.images.set(image.hash, image);
    return this.toImage(this.images.get(image.hash)!);
  }

  private toImage(stored: StoredImage): Image {
    return {
      hash: stored.hash,
      getBytesAsync: async () => {
        if (!stored.png) throw new Error('figma double: this image was added as raw pixels and has no PNG bytes');
        return stored.png.slice();
      },
      getSizeAsync: async () => ({ width: stored.width, height: stored.height }),
    };
  }
}
