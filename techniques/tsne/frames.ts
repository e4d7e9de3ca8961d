// Pixel placement of grid items: each item scaled to fit a square cell (aspect kept, centred), cells `cellSize`
// apart plus `gap`. Every frame lies inside its own cell and cells are disjoint, so frames never overlap.

export interface Frame {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FrameLayout {
  frames: Frame[];
  /** The whole grid's size in pixels. */
  width: number;
  height: number;
}

export interface FrameOptions {
  /** Side of a cell, px. */
  cellSize: number;
  /** Space between cells, px. */
  gap: number;
  /** Scale small items up to the cell (default) or keep them at their size. */
  upscale?: boolean;
}

export function gridFrames(cells: readonly { col: number; row: number }[], sizes: readonly { width: number; height: number }[], options: FrameOptions): FrameLayout {
  const { cellSize, gap } = options;
  if (!(cellSize > 0 && gap >= 0)) throw new RangeError(`gridFrames: cell ${cellSize}, gap ${gap}`);
  if (cells.length !== sizes.length) throw new RangeError(`gridFrames: ${cells.length} cells for ${sizes.length} sizes`);
  let columns = 0;
  let rows = 0;
  const frames = cells.map(({ col, row }, i) => {
    const { width, height } = sizes[i];
    columns = Math.max(columns, col + 1);
    rows = Math.max(rows, row + 1);
    let scale = Math.min(cellSize / Math.max(1, width), cellSize / Math.max(1, height));
    if (options.upscale === false) scale = Math.min(1, scale);
    const w = Math.min(cellSize, Math.max(1, Math.round(width * scale)));
    const h = Math.min(cellSize, Math.max(1, Math.round(height * scale)));
    return { x: col * (cellSize + gap) + Math.floor((cellSize - w) / 2), y: row * (cellSize + gap) + Math.floor((cellSize - h) / 2), width: w, height: h };
  });
  const span = (count: number) => (count > 0 ? count * cellSize + (count - 1) * gap : 0);
  return { frames, width: span(columns), height: span(rows) };
}
