// Minimum-cost assignment of n rows to m ≥ n columns (the Hungarian method in its shortest-augmenting-path form,
// Jonker-Volgenant style potentials; O(n²·m)): for n ≤ a few hundred items on a grid this is exact and takes well
// under a second, where greedy placement would strand the last items far from their t-SNE positions.

/** cost: row-major n × m. Returns for each row its column (all distinct). */
export function assignMinCost(cost: Float64Array | number[], n: number, m: number): Int32Array {
  if (n > m) throw new RangeError(`assignMinCost: ${n} rows for ${m} columns`);
  if (cost.length !== n * m) throw new RangeError(`assignMinCost: cost has ${cost.length} entries, not ${n}x${m}`);
  // 1-based potentials u (rows), v (columns); p[j] = row matched to column j (0 = none); way = augmenting path.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      const row = (i0 - 1) * m;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[row + j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Int32Array(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j] !== 0) assignment[p[j] - 1] = j - 1;
  return assignment;
}
