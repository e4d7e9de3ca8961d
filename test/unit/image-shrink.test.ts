// shrinkToFit: huge images become small views in plain arrays (a 9000² classify ran WASM out of memory as a tensor).
import { shrinkToFit } from '../../techniques/image';
import { classifierInput } from '../../techniques/classify';

test('shrinks by the smallest whole factor that fits, each pixel the alpha-weighted mean of its block', () => {
  // 5 × 2: red opaque, blue half-transparent, green transparent (its colour must not leak), then a ragged column.
  const data = new Uint8ClampedArray([
    255, 0, 0, 255, /**/ 0, 0, 255, 128, /**/ 10, 10, 10, 255, /**/ 10, 10, 10, 255, /**/ 7, 7, 7, 255,
    255, 0, 0, 255, /**/ 0, 255, 0, 0, /**/ 10, 10, 10, 255, /**/ 10, 10, 10, 255, /**/ 9, 9, 9, 255,
  ]);
  const small = shrinkToFit({ width: 5, height: 2, data }, 3);
  expect([small.width, small.height]).toEqual([3, 1]);
  const px = (i: number) => Array.from(small.data.slice(i * 4, i * 4 + 4));
  // (255·255·2 + 0) / (255·2 + 128) for red; blue 255·128 / 638; alpha (255·2 + 128 + 0) / 4.
  expect(px(0)).toEqual([Math.round((255 * 510) / 638), 0, Math.round((255 * 128) / 638), Math.round(638 / 4)]);
  expect(px(1)).toEqual([10, 10, 10, 255]);
  expect(px(2)).toEqual([8, 8, 8, 255]);
  const fits = { width: 3, height: 3, data: new Uint8ClampedArray(36) };
  expect(shrinkToFit(fits, 3)).toBe(fits);
});

test('a classifier input from a 9000 px wide image (shrunk first) is the 224 px input', () => {
  const width = 9000;
  const height = 40;
  const data = new Uint8ClampedArray(width * height * 4).fill(200);
  const input = classifierInput({ width, height, data });
  expect(input.shape).toEqual([1, 224, 224, 3]);
  input.dispose();
});
