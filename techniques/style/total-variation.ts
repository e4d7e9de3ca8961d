// The total-variation term of the Gatys objective on the flat RGB vector: mean squared difference between vertical
// neighbours plus the same between horizontal ones, on the 0..1 scale (losses.ts's totalVariation, which the
// feature-inversion objective uses on tensors). Plain loops: O(pixels), and no image-sized tensors (the tensor
// version makes a dozen temporaries the size of the image, slices, differences, squares and their gradients: 200 MB
// each at 4096 px).

/**
 * Adds weight·∇TV(x) to `gradient` and returns weight·TV(x) for the interleaved RGB image `x` (width x height).
 * A side of 1 px has no neighbours along it: that half of the term is 0.
 */
export function addTotalVariation(x: Float32Array, width: number, height: number, weight: number, gradient: Float32Array): number {
  if (weight === 0) return 0;
  const line = width * 3;
  let value = 0;
  const verticalCount = (height - 1) * line;
  if (verticalCount > 0) {
    let sum = 0;
    const scale = (2 * weight) / verticalCount;
    for (let i = 0; i < verticalCount; i++) {
      const d = x[i + line] - x[i];
      sum += d * d;
      gradient[i + line] += scale * d;
      gradient[i] -= scale * d;
    }
    value += sum / verticalCount;
  }
  const horizontalCount = height * (width - 1) * 3;
  if (horizontalCount > 0) {
    let sum = 0;
    const scale = (2 * weight) / horizontalCount;
    for (let j = 0; j < height; j++) {
      for (let k = j * line; k < (j + 1) * line - 3; k++) {
        const d = x[k + 3] - x[k];
        sum += d * d;
        gradient[k + 3] += scale * d;
        gradient[k] -= scale * d;
      }
    }
    value += sum / horizontalCount;
  }
  return weight * value;
}
