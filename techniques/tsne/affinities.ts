// t-SNE's input similarities P (van der Maaten & Hinton 2008, section 2): each point i gets a Gaussian over the
// others whose precision β_i is found by bisection so that its entropy matches log(perplexity), i.e. every point
// has about `perplexity` effective neighbours whether it sits in a dense or a sparse region. The conditional
// p(j|i) are then symmetrised, P_ij = (p(j|i) + p(i|j)) / 2n, so every point, outliers included, pulls on the map.

/** Entropy error (nats) at which a point's precision counts as found. */
const ENTROPY_TOLERANCE = 1e-5;
/** Bisection steps per point: far more than enough to reach the tolerance from any start. */
const MAX_STEPS = 64;
/** Floor of a joint probability: keeps log and ratios finite for pairs that are far apart. */
const MIN_PROBABILITY = 1e-100;
/** Math's functions as module locals: inside a sandboxed global (Node's vm, as under Jest) every `Math.` in a hot
 *  loop is a slow global lookup; a local is not. */
const { exp, log, max, min, abs } = Math;

/** Squared Euclidean distances between rows of an n × dimension matrix, as a full n × n matrix. */
export function squaredDistances(points: Float64Array, n: number, dimension: number): Float64Array {
  const distances = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = i * dimension;
    for (let j = i + 1; j < n; j++) {
      const b = j * dimension;
      let sum = 0;
      for (let k = 0; k < dimension; k++) {
        const d = points[a + k] - points[b + k];
        sum += d * d;
      }
      distances[i * n + j] = sum;
      distances[j * n + i] = sum;
    }
  }
  return distances;
}

/** Row i of the conditional p(·|i) for precision `beta`, written into `row`; returns the row's entropy (nats).
 *  Distances are shifted by the row's smallest so the nearest neighbour weighs exp(0) = 1: no underflow to an
 *  all-zero row however far apart the points are (the shift cancels in the normalisation). */
function conditionalRow(distances: Float64Array, n: number, i: number, nearest: number, beta: number, row: Float64Array): number {
  let sum = 0;
  let weighted = 0;
  for (let j = 0; j < n; j++) {
    if (j === i) {
      row[j] = 0;
      continue;
    }
    const shifted = distances[i * n + j] - nearest;
    const w = exp(-beta * shifted);
    row[j] = w;
    sum += w;
    weighted += w * shifted;
  }
  for (let j = 0; j < n; j++) row[j] /= sum;
  // H = −Σ p log p with p = w / sum and log w = −β·shifted.
  return log(sum) + (beta * weighted) / sum;
}

/** The symmetric joint probabilities P (n × n, zero diagonal, summing to 1) for the given perplexity. */
export function jointProbabilities(distances: Float64Array, n: number, perplexity: number): Float64Array {
  const target = log(perplexity);
  const conditional = new Float64Array(n * n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let nearest = Infinity;
    let mean = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      nearest = min(nearest, distances[i * n + j]);
      mean += distances[i * n + j];
    }
    mean /= n - 1;
    // Start from a precision on the scale of the row's distances (1 / mean spread), so raw pixels (distances in
    // the thousands) and unit vectors (0..4) both converge in a few steps.
    let beta = mean - nearest > 0 ? 1 / (mean - nearest) : 1;
    let low = 0;
    let high = Infinity;
    for (let step = 0; step < MAX_STEPS; step++) {
      const entropy = conditionalRow(distances, n, i, nearest, beta, row);
      if (abs(entropy - target) < ENTROPY_TOLERANCE) break;
      // Too flat (entropy above target): sharpen, i.e. raise the precision; too peaked: lower it.
      if (entropy > target) {
        low = beta;
        beta = high === Infinity ? beta * 2 : (beta + high) / 2;
      } else {
        high = beta;
        beta = (beta + low) / 2;
      }
    }
    conditional.set(row, i * n);
  }
  const joint = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const p = max(MIN_PROBABILITY, (conditional[i * n + j] + conditional[j * n + i]) / (2 * n));
      joint[i * n + j] = p;
      joint[j * n + i] = p;
    }
  }
  return joint;
}
