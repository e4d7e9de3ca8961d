// Small formatting helpers for layer names and messages, shared by every technique's `describe`.

export const percent = (value: number): string => `${Math.round(value * 100)}%`;

/** The candidate closest to `name` by edit distance (for "did you mean …?"), or null when none is close. */
export function closest(name: string, candidates: readonly string[]): string | null {
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length];
  };
  let best: string | null = null;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    // A prefix ("starry" for "starry_night") is as close as it gets.
    const score = candidate.startsWith(name.toLowerCase()) ? 0 : distance(name.toLowerCase(), candidate);
    if (score < bestScore) [best, bestScore] = [candidate, score];
  }
  return best !== null && bestScore <= Math.max(2, Math.floor(name.length / 2)) ? best : null;
}
