// What the CLI writes for a result: the image itself, except for a labelled row (a sweep, a filter grid), whose cells
// the plugin lays out as a labelled frame: a file gets the same arrangement, the cells in rows (`columns` a row,
// default one row) with gaps on white, without the labels.
import { splitIntoColumns } from '../techniques/geometry';
import { cropRgba, type RgbaImage } from '../techniques/image';
import { imageGrid } from '../techniques/image-grid';
import type { TechniqueResult } from '../techniques/job';
import type { ResultLayout } from '../techniques/technique-spec';

const GAP = 8;

export function resultImage(result: TechniqueResult, layout: ResultLayout | undefined): RgbaImage {
  const count = result.facts?.cells?.length ?? 0;
  if (layout?.kind !== 'labelled-row' || count === 0) return result;
  const cells = splitIntoColumns(result.width, result.height, count).map((r) => cropRgba(result, r.x, r.y, r.width, r.height));
  return imageGrid(cells, layout.columns ?? count, GAP);
}
