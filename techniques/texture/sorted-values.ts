// The two operations of a 1-D histogram match (pixel-histogram.ts, fine-histogram.ts): the sample's sorted values
// resampled to the output's count, and each output value's rank among the output's own sorted values.

/** n values at evenly spaced quantiles of an ascending array (linear interpolation). */
export function quantiles(sorted: Float32Array, n: number): Float32Array {
  const q = sorted.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.min(q - 1, Math.max(0, ((i + 0.5) * q) / n - 0.5));
    const j = Math.floor(s);
    const f = s - j;
    out[i] = (1 - f) * sorted[j] + f * sorted[Math.min(q - 1, j + 1)];
  }
  return out;
}

/** First index whose value is ≥ v in an ascending array (the rank of v; equal values share it). */
export function lowerBound(a: Float32Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
