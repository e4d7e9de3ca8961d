// A 'labelled-row' result (e.g. the layer sweep of Reconstruct): a new frame beside the source, an auto-layout row
// holding one column per cell — the cell's image at one document unit per result pixel, its label under it — so the
// designer sees the lecture's figure (shallow → deep) on their own image and can take any cell out.
// Positions are also set by hand, exactly where the auto layout puts them, so hosts without a layout engine (the
// playground's double) show the same thing.
import { PasticheError } from '../techniques/errors';
import type { ResultTile } from './messages';
import { planResult } from './place-result';
import { toChildCoordinates } from './node-geometry';
import type { Placement } from './messages';

/** Space between cells and around them, and between a cell and its label, in document units. */
const GAP = 16;
const LABEL_GAP = 6;
const LABEL_SIZE = 12;
const LABEL_FONT: FontName = { family: 'Inter', style: 'Regular' };

/** The cells of the result: the tiles the engine sent, one per label, left to right along the top. */
export function rowCells(tiles: readonly ResultTile[], labels: readonly string[] | undefined): { tile: ResultTile; label: string }[] {
  if (!labels || labels.length !== tiles.length || tiles.some((tile) => tile.y !== 0)) {
    throw new PasticheError('bad-input', 'The result does not have one image per labelled cell. Nothing was added.');
  }
  const ordered = tiles.map((tile, i) => ({ tile, label: labels[i] }));
  ordered.sort((a, b) => a.tile.x - b.tile.x);
  if (ordered.some(({ tile }, i) => tile !== tiles[i])) throw new PasticheError('bad-input', 'The cells of the result are out of order. Nothing was added.');
  return ordered;
}

/**
 * `columns`: cells per row before the row wraps (a grid, e.g. 64 filters in rows of 8); default all in one row. The
 * cells of a wrapping grid are all the size of the first (the engine sends equal cells).
 */
export async function createLabelledRow(
  figma: PluginAPI,
  source: SceneNode,
  placement: Placement,
  cells: readonly { tile: ResultTile; label: string }[],
  images: readonly Image[],
  columns = cells.length,
): Promise<FrameNode> {
  await figma.loadFontAsync(LABEL_FONT);
  const perRow = Math.max(1, Math.min(columns, cells.length));
  const rows = Math.ceil(cells.length / perRow);
  const cellHeight = Math.max(...cells.map(({ tile }) => tile.height));
  const columnHeight = cellHeight + LABEL_GAP + Math.ceil(LABEL_SIZE * 1.25);
  const rowWidth = (start: number) => GAP + cells.slice(start, start + perRow).reduce((sum, { tile }) => sum + tile.width + GAP, 0);
  const width = Math.max(...Array.from({ length: rows }, (_, r) => rowWidth(r * perRow)));
  const height = GAP + rows * (columnHeight + GAP);
  const { target, box } = planResult(figma, source, placement, { width, height });

  const row = figma.createFrame();
  try {
    row.layoutMode = 'HORIZONTAL';
    if (rows > 1) {
      // A fixed width that holds `perRow` cells, and the rest wrapping below: Figma's wrap layout is that grid.
      row.layoutWrap = 'WRAP';
      row.counterAxisSpacing = GAP;
      row.primaryAxisSizingMode = 'FIXED';
    } else row.primaryAxisSizingMode = 'AUTO';
    row.counterAxisSizingMode = 'AUTO';
    row.itemSpacing = GAP;
    row.paddingLeft = row.paddingRight = row.paddingTop = row.paddingBottom = GAP;
    row.resize(width, height);
    let x = GAP;
    cells.forEach(({ tile, label }, i) => {
      if (i > 0 && i % perRow === 0) x = GAP; // the next row of the grid
      const column = figma.createFrame();
      row.appendChild(column);
      column.name = label;
      column.fills = [];
      column.layoutMode = 'VERTICAL';
      column.primaryAxisSizingMode = 'AUTO';
      column.counterAxisSizingMode = 'AUTO';
      column.itemSpacing = LABEL_GAP;
      column.resize(tile.width, columnHeight);
      column.x = x;
      column.y = GAP + Math.floor(i / perRow) * (columnHeight + GAP);
      x += tile.width + GAP;

      const image = figma.createRectangle();
      column.appendChild(image);
      image.name = label;
      image.resize(tile.width, tile.height);
      image.fills = [{ type: 'IMAGE', imageHash: images[i].hash, scaleMode: 'FILL' }];
      image.x = 0;
      image.y = 0;

      const caption = figma.createText();
      column.appendChild(caption);
      caption.fontName = LABEL_FONT;
      caption.fontSize = LABEL_SIZE;
      caption.characters = label;
      caption.x = 0;
      caption.y = tile.height + LABEL_GAP;
    });
    if (target.index === undefined) target.container.appendChild(row);
    else target.container.insertChild(target.index, row);
    if (target.absolutePositioning) row.layoutPositioning = 'ABSOLUTE';
    const at = toChildCoordinates(target.container, box);
    row.x = at.x;
    row.y = at.y;
    return row;
  } catch (error) {
    if (!row.removed) row.remove(); // no half-built row
    throw error;
  }
}
