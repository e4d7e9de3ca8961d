// Checks a result's size and tiles before anything touches the document: a bad result is a typed error, never a
// half-written result or an exception from inside Figma.
import { PasticheError } from '../techniques/errors';
import { MAX_IMAGE_SIDE } from '../techniques/geometry';
import type { ResultTile } from './messages';
import { readPngSize } from './png-header';

/** The largest result side accepted (a technique that sets its result's size stays within it). */
export const MAX_RESULT_SIDE = 16384;

const show = (n: number) => (Number.isFinite(n) ? String(Math.round(n * 100) / 100) : String(n));

/** A result's pixel size: whole, positive, finite numbers, at most MAX_RESULT_SIDE a side. */
export function validateResultSize(width: number, height: number): void {
  const whole = (n: number) => typeof n === 'number' && Number.isInteger(n) && n > 0;
  if (!whole(width) || !whole(height)) throw new PasticheError('bad-input', `The result has no usable size (${show(width)} × ${show(height)} px).`);
  if (width > MAX_RESULT_SIDE || height > MAX_RESULT_SIDE) {
    throw new PasticheError('too-large', `The result is ${width} × ${height} px, more than Pastiche accepts (${MAX_RESULT_SIDE} px a side).`);
  }
}

const overlap = (a: ResultTile, b: ResultTile) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Tiles of at most MAX_IMAGE_SIDE px, each a PNG of the size it says, that cover the result exactly once. */
export function validateTiles(width: number, height: number, tiles: ReadonlyArray<ResultTile>): void {
  validateResultSize(width, height);
  if (tiles.length === 0) throw new PasticheError('bad-input', 'The result has no pixels.');
  let area = 0;
  for (const tile of tiles) {
    if (tile.width > MAX_IMAGE_SIDE || tile.height > MAX_IMAGE_SIDE) {
      throw new PasticheError(
        'too-large',
        `A result tile of ${tile.width} × ${tile.height} px is larger than Figma accepts (${MAX_IMAGE_SIDE} px a side).`,
      );
    }
    if (!(tile.width > 0 && tile.height > 0) || tile.x < 0 || tile.y < 0 || tile.x + tile.width > width || tile.y + tile.height > height) {
      throw new PasticheError('bad-input', `A result tile (${tile.x}, ${tile.y}, ${tile.width} × ${tile.height}) lies outside the ${width} × ${height} result.`);
    }
    area += tile.width * tile.height;
  }
  // Inside the result, not overlapping, and as much area as the result: the tiles cover it exactly.
  for (let i = 0; i < tiles.length; i++) {
    for (let j = i + 1; j < tiles.length; j++) {
      if (overlap(tiles[i], tiles[j])) throw new PasticheError('bad-input', 'Two tiles of the result overlap.');
    }
  }
  if (area !== width * height) throw new PasticheError('bad-input', `The tiles do not cover the ${width} × ${height} result.`);
  for (const tile of tiles) {
    const size = readPngSize(tile.png);
    if (!size) throw new PasticheError('bad-input', 'A result tile is not a PNG image.');
    if (size.width > MAX_IMAGE_SIDE || size.height > MAX_IMAGE_SIDE) {
      throw new PasticheError('too-large', `A result image of ${size.width} × ${size.height} px is larger than Figma accepts (${MAX_IMAGE_SIDE} px a side).`);
    }
    if (size.width !== tile.width || size.height !== tile.height) {
      throw new PasticheError('bad-input', `A result tile says ${tile.width} × ${tile.height} px but its image is ${size.width} × ${size.height} px.`);
    }
  }
}
