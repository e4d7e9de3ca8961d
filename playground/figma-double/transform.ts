// Figma's 2 x 3 affine transforms ([[m00, m01, m02], [m10, m11, m12]]: a node's own point (u, v) lands at
// (m00 u + m01 v + m02, m10 u + m11 v + m12)), as the double's nodes and rasterizers use them.

export type Matrix = [[number, number, number], [number, number, number]];

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const IDENTITY: Matrix = [
  [1, 0, 0],
  [0, 1, 0],
];

export function translation(x: number, y: number): Matrix {
  return [
    [1, 0, x],
    [0, 1, y],
  ];
}

/**
 * Figma's rotation: degrees, counter-clockwise on screen (y points down), about the node's top-left corner.
 * `rotation` reads back as atan2(-m10, m00).
 */
export function rotationMatrix(degrees: number, x: number, y: number): Matrix {
  const r = (degrees * Math.PI) / 180;
  const cos = Math.cos(r);
  const sin = Math.sin(r);
  // Exact zeros for the right angles, so a 90° rotation does not leave 6e-17 crumbs in the boxes.
  const clean = (n: number) => (Math.abs(n) < 1e-12 ? 0 : n);
  return [
    [clean(cos), clean(sin), x],
    [clean(-sin), clean(cos), y],
  ];
}

export function rotationOf(m: Matrix): number {
  const degrees = (Math.atan2(-m[1][0], m[0][0]) * 180) / Math.PI;
  return degrees === 0 ? 0 : degrees; // never -0
}

/** `outer` after `inner`: a point goes through `inner` first. */
export function multiply(outer: Matrix, inner: Matrix): Matrix {
  const [[a, c, e], [b, d, f]] = outer;
  const [[a2, c2, e2], [b2, d2, f2]] = inner;
  return [
    [a * a2 + c * b2, a * c2 + c * d2, a * e2 + c * f2 + e],
    [b * a2 + d * b2, b * c2 + d * d2, b * e2 + d * f2 + f],
  ];
}

export function invert(m: Matrix): Matrix {
  const [[a, c, e], [b, d, f]] = m;
  const det = a * d - b * c;
  if (Math.abs(det) < 1e-12) throw new Error('figma double: the transform cannot be inverted');
  return [
    [d / det, -c / det, (c * f - d * e) / det],
    [-b / det, a / det, (b * e - a * f) / det],
  ];
}

export function apply(m: Matrix, u: number, v: number): { x: number; y: number } {
  return { x: m[0][0] * u + m[0][1] * v + m[0][2], y: m[1][0] * u + m[1][1] * v + m[1][2] };
}

/** The axis-aligned box around a node's own box (0, 0, width, height) once transformed by `m`. */
export function boundsOf(m: Matrix, width: number, height: number): Box {
  const corners = [apply(m, 0, 0), apply(m, width, 0), apply(m, 0, height), apply(m, width, height)];
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

export function isTranslation(m: Matrix): boolean {
  return m[0][0] === 1 && m[0][1] === 0 && m[1][0] === 0 && m[1][1] === 1;
}

export function copyMatrix(m: Transform | Matrix): Matrix {
  return [
    [m[0][0], m[0][1], m[0][2]],
    [m[1][0], m[1][1], m[1][2]],
  ];
}
