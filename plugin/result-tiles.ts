// Checks a result's tiles before anything touches the document: a bad tile is a typed error, never a half-written
// result or an exception from inside Figma.
import { PasticheError } from '../techniques/errors';
import { MAX_IMAGE_SIDE } from '../techniques/geometry';
import type { ResultTile } from './messages';
import { readPngSize } from './png-header';

export function validateTiles(width: number, height: number, tiles: ReadonlyArray<ResultTile>): void {
  if (!(width > 0 && height > 0)) throw new PasticheError('bad-input', `The result has no size (${width} × ${height}).`);
  if (tiles.length === 0) throw new PasticheError('bad-input', 'The result has no pixels.');
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
