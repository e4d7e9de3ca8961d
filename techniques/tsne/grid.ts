// From a t-SNE map to a tidy grid: n items on a near-square grid (cols = ceil(√n), rows = ceil(n / cols)), one
// item per cell, placed so the total squared distance from each item's normalised t-SNE position to its cell's
// centre is minimal (an exact assignment, hungarian.ts). Neighbours in the map stay neighbours on the grid and no
// two images overlap, which a raw scatter of thumbnails cannot promise.
import { assignMinCost } from './hungarian';
import type { Point } from './tsne';

export interface GridItem {
  /** The item's t-SNE position normalised to 0..1 on each axis. */
  x: number;
  y: number;
  col: number;
  row: number;
}

export interface GridAssignment {
  items: GridItem[];
  columns: number;
  rows: number;
}

export function gridShape(n: number): { columns: number; rows: number } {
  const columns = Math.max(1, Math.ceil(Math.sqrt(n)));
  return { columns, rows: Math.max(1, Math.ceil(n / columns)) };
}

/** Positions scaled to 0..1 per axis (a degenerate axis maps to 0.5). */
export function normalizePositions(points: readonly Point[]): Point[] {
  const range = (axis: 0 | 1) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of points) {
      lo = Math.min(lo, p[axis]);
      hi = Math.max(hi, p[axis]);
    }
    return [lo, hi - lo] as const;
  };
  const [x0, w] = range(0);
  const [y0, h] = range(1);
  return points.map((p) => [w > 0 ? (p[0] - x0) / w : 0.5, h > 0 ? (p[1] - y0) / h : 0.5]);
}

export function assignToGrid(points: readonly Point[], shape: { columns: number; rows: number } = gridShape(points.length)): GridAssignment {
  const n = points.length;
  const { columns, rows } = shape;
  const cells = columns * rows;
  if (n > cells) throw new RangeError(`assignToGrid: ${n} items for ${columns}x${rows} cells`);
  const normalized = normalizePositions(points);
  const cost = new Float64Array(n * cells);
  for (let i = 0; i < n; i++) {
    const [x, y] = normalized[i];
    for (let c = 0; c < cells; c++) {
      const dx = x - ((c % columns) + 0.5) / columns;
      const dy = y - (Math.floor(c / columns) + 0.5) / rows;
      cost[i * cells + c] = dx * dx + dy * dy;
    }
  }
  const assignment = assignMinCost(cost, n, cells);
  const items = normalized.map(([x, y], i) => ({ x, y, col: assignment[i] % columns, row: Math.floor(assignment[i] / columns) }));
  return { items, columns, rows };
}
