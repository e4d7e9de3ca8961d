// Seeded randomness for techniques whose result a seed must reproduce (noise starts, jitter, patch choices).
// Math.random is never used by a technique: "same seed, same result" is a promise to the designer.

/** A deterministic generator of floats in [0, 1) (mulberry32: small, fast, good enough for image work). */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [min, max] (both included). */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** A seed for TF.js's own seeded ops (tf.randomNormal/randomUniform take one), drawn from `random`. */
export function tfSeed(random: Random): number {
  return Math.floor(random() * 2 ** 31);
}
