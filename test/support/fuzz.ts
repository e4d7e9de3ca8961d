// What the fuzz tests share (the sandbox's, plugin-fuzz.test.ts, and the engine's, engine-fuzz.test.ts): a seeded
// generator, so a failing seed replays, and the junk values that replace parts of well-formed messages.

/** mulberry32: small, fast, deterministic. */
export function fuzzRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

export type Rng = ReturnType<typeof fuzzRandom>;
export type Json = unknown;

/** Values of every JSON-ish kind and some that are not: edge numbers, huge strings, deep nesting, bytes. */
export const JUNK_VALUES: readonly Json[] = [
  null,
  undefined,
  true,
  false,
  0,
  -1,
  -0.5,
  Number.NaN,
  Infinity,
  -Infinity,
  1e308,
  2 ** 53,
  '',
  'x'.repeat(100_000),
  '💥'.repeat(300),
  [],
  {},
  { a: { b: [1, { c: Number.NaN, d: [[[{}]]] }] } },
  new Uint8Array([1, 2, 3]),
  [Number.NaN, 'x', null],
];
