// Splits a result into pieces Figma accepts (createImage refuses more than 4096 px a side).
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Regions of at most maxSide px a side covering width x height, row by row, as even as possible. */
export function splitIntoTiles(width: number, height: number, maxSide: number): Region[] {
  const columns = Math.ceil(width / maxSide);
  const rows = Math.ceil(height / maxSide);
  const edges = (size: number, count: number) => Array.from({ length: count + 1 }, (_, i) => Math.round((i * size) / count));
  const xs = edges(width, columns);
  const ys = edges(height, rows);
  const regions: Region[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      regions.push({ x: xs[column], y: ys[row], width: xs[column + 1] - xs[column], height: ys[row + 1] - ys[row] });
    }
  }
  return regions;
}
