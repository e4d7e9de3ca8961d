// Linear resampling of float images in plain typed arrays, with its adjoint. The neural texture path needs one
// resampler that (a) works on a torus as well as on a bounded image, so periodic images stay periodic when they
// are shrunk for a pyramid level or enlarged from a coarse stage, and (b) has an exact transpose, so the gradient of
// a loss on a shrunk image can be carried back to the full image in JavaScript (a 4096 px image never becomes one
// tensor). Separable: one sparse 1-D matrix per axis.
//
// Shrinking averages areas (an output pixel is the mean of the input interval it covers: on even sizes halving is
// exactly a 2x2 box, like the Gatys path's bilinear halving with half-pixel centres); enlarging interpolates
// linearly with half-pixel centres. `periodic` wraps around the ends, otherwise the edge pixels repeat.

/** One axis: output i = Σ weight[k] · input[index[k]] for k in [starts[i], starts[i+1]). */
export interface AxisResample {
  from: number;
  to: number;
  starts: Int32Array;
  index: Int32Array;
  weight: Float32Array;
}

export function axisResample(from: number, to: number, periodic: boolean): AxisResample {
  const entries: Array<[number, number]>[] = [];
  const wrap = (j: number) => (periodic ? ((j % from) + from) % from : Math.min(from - 1, Math.max(0, j)));
  for (let i = 0; i < to; i++) {
    const row: Array<[number, number]> = [];
    if (to === from) {
      row.push([i, 1]);
    } else if (to < from) {
      const ratio = from / to;
      const a = i * ratio;
      const b = (i + 1) * ratio;
      for (let j = Math.floor(a); j < Math.ceil(b - 1e-9); j++) {
        const overlap = Math.min(b, j + 1) - Math.max(a, j);
        if (overlap > 1e-9) row.push([wrap(j), overlap / ratio]);
      }
    } else {
      const s = ((i + 0.5) * from) / to - 0.5;
      const j = Math.floor(s);
      const f = s - j;
      row.push([wrap(j), 1 - f]);
      if (f > 0) row.push([wrap(j + 1), f]);
    }
    entries.push(row);
  }
  const count = entries.reduce((n, row) => n + row.length, 0);
  const starts = new Int32Array(to + 1);
  const index = new Int32Array(count);
  const weight = new Float32Array(count);
  let k = 0;
  entries.forEach((row, i) => {
    starts[i] = k;
    for (const [j, w] of row) {
      index[k] = j;
      weight[k++] = w;
    }
  });
  starts[to] = k;
  return { from, to, starts, index, weight };
}

/** Resamples an interleaved image [height, width, channels] to [y.to, x.to, channels]. */
export function resample(src: Float32Array, channels: number, x: AxisResample, y: AxisResample): Float32Array {
  // Along x first (rows of the source), then along y.
  const mid = new Float32Array(y.from * x.to * channels);
  for (let r = 0; r < y.from; r++) {
    const srcRow = r * x.from * channels;
    const midRow = r * x.to * channels;
    for (let i = 0; i < x.to; i++) {
      const o = midRow + i * channels;
      for (let k = x.starts[i]; k < x.starts[i + 1]; k++) {
        const s = srcRow + x.index[k] * channels;
        const w = x.weight[k];
        for (let c = 0; c < channels; c++) mid[o + c] += w * src[s + c];
      }
    }
  }
  const rowLength = x.to * channels;
  const out = new Float32Array(y.to * rowLength);
  for (let i = 0; i < y.to; i++) {
    const o = i * rowLength;
    for (let k = y.starts[i]; k < y.starts[i + 1]; k++) {
      const s = y.index[k] * rowLength;
      const w = y.weight[k];
      for (let t = 0; t < rowLength; t++) out[o + t] += w * mid[s + t];
    }
  }
  return out;
}

/** The transpose of `resample`: carries a gradient on the [y.to, x.to] image back to [y.from, x.from]. */
export function resampleAdjoint(grad: Float32Array, channels: number, x: AxisResample, y: AxisResample): Float32Array {
  const rowLength = x.to * channels;
  const mid = new Float32Array(y.from * rowLength);
  for (let i = 0; i < y.to; i++) {
    const g = i * rowLength;
    for (let k = y.starts[i]; k < y.starts[i + 1]; k++) {
      const m = y.index[k] * rowLength;
      const w = y.weight[k];
      for (let t = 0; t < rowLength; t++) mid[m + t] += w * grad[g + t];
    }
  }
  const out = new Float32Array(y.from * x.from * channels);
  for (let r = 0; r < y.from; r++) {
    const outRow = r * x.from * channels;
    const midRow = r * rowLength;
    for (let i = 0; i < x.to; i++) {
      const m = midRow + i * channels;
      for (let k = x.starts[i]; k < x.starts[i + 1]; k++) {
        const o = outRow + x.index[k] * channels;
        const w = x.weight[k];
        for (let c = 0; c < channels; c++) out[o + c] += w * mid[m + c];
      }
    }
  }
  return out;
}

/** Convenience: an RGB float image resized to width x height. */
export function resizeRgb(src: Float32Array, fromWidth: number, fromHeight: number, width: number, height: number, periodic: boolean): Float32Array {
  if (fromWidth === width && fromHeight === height) return Float32Array.from(src);
  return resample(src, 3, axisResample(fromWidth, width, periodic), axisResample(fromHeight, height, periodic));
}
