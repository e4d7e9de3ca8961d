// The one rectangle type (result tiles, layer boxes, image regions) and the split of a result into pieces that
// Figma accepts. Plain data, no TF.js: the sandbox, the engine and the techniques share it.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Figma refuses images larger than this on a side (createImage). */
export const MAX_IMAGE_SIDE = 4096;

/** `count` columns side by side covering width x height, as even as possible (the cells of a labelled row). */
export function splitIntoColumns(width: number, height: number, count: number): Rect[] {
  return Array.from({ length: count }, (_, i) => {
    const x = Math.round((i * width) / count);
    return { x, y: 0, width: Math.round(((i + 1) * width) / count) - x, height };
  });
}

/** Rectangles of at most maxSide px a side covering width x height, row by row, as even as possible. */
export function splitIntoTiles(width: number, height: number, maxSide: number): Rect[] {
  const columns = Math.ceil(width / maxSide);
  const rows = Math.ceil(height / maxSide);
  const edges = (size: number, count: number) => Array.from({ length: count + 1 }, (_, i) => Math.round((i * size) / count));
  const xs = edges(width, columns);
  const ys = edges(height, rows);
  const rects: Rect[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      rects.push({ x: xs[column], y: ys[row], width: xs[column + 1] - xs[column], height: ys[row + 1] - ys[row] });
    }
  }
  return rects;
}
