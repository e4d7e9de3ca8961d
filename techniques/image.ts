// The one pixel format that crosses boundaries: straight (not premultiplied) RGBA, 8 bits, row-major.
// Plain data, no DOM and no TF.js, so the sandbox double, the CLI and the engine all speak it.

export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray; // width * height * 4
}

export function createRgbaImage(width: number, height: number, data?: Uint8ClampedArray): RgbaImage {
  const pixels = data ?? new Uint8ClampedArray(width * height * 4);
  if (pixels.length !== width * height * 4) {
    throw new RangeError(`RGBA buffer of ${pixels.length} bytes does not fit ${width}x${height}`);
  }
  return { width, height, data: pixels };
}
