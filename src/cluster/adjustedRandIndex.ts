// The adjusted Rand index (Hubert & Arabie 1985): agreement of two labelings of the same items, 1 for
// identical partitions, about 0 for chance. Used to measure clusterings against a planted truth.

/** ARI of two labelings of equal length; any label values (noise −1 is just another label here). */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`labelings differ in length: ${a.length} and ${b.length}`);
  const n = a.length;
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]} ${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i]!, (rows.get(a[i]!) ?? 0) + 1);
    cols.set(b[i]!, (cols.get(b[i]!) ?? 0) + 1);
  }
  const pairs = (k: number): number => (k * (k - 1)) / 2;
  const sum = (m: Map<unknown, number>): number => [...m.values()].reduce((s, k) => s + pairs(k), 0);
  const index = sum(table);
  const sumRows = sum(rows);
  const sumCols = sum(cols);
  const expected = (sumRows * sumCols) / pairs(n);
  const max = (sumRows + sumCols) / 2;
  // Both partitions trivial (all one cluster, or all singletons): sklearn defines the score as 1.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
