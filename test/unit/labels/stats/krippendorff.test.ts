// Krippendorff's alpha on Krippendorff's own worked examples (exact to six decimals) and against the
// pairwise-disagreement definition on random data with missing ratings; the bootstrap is reproducible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { krippendorffAlpha, type MeasurementLevel } from '../../../../src/labels/stats/krippendorff.js';
import { bootstrapInterval, quantile } from '../../../../src/labels/stats/bootstrap.js';
import { seededRandom } from '../../../../src/seededRandom.js';

const close = (actual: number, expected: number, digits = 6): void => {
  assert.ok(
    Math.abs(actual - expected) < 0.5 * 10 ** -digits,
    `${actual} ≠ ${expected} to ${digits} decimals`,
  );
};

type Cell = number | null;
/** Reliability data (observers × units, null = missing) → units as lists of the ratings each received. */
const unitsOf = (data: Cell[][]): number[][] =>
  (data[0] ?? []).map((_, u) => data.map((row) => row[u] ?? null).filter((v): v is number => v !== null));

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability" (repository.upenn.edu/asc_papers/43),
// section C: 4 observers × 12 units with missing values. Published: nominal .743, ordinal .815,
// interval .849, ratio .797. The exact values below are the same computation in rational arithmetic
// (nominal 113/152, interval 951/1120, ordinal 108577/133160, ratio 18222619/22852465), and the
// fast-krippendorff package's tests assert the same data rounds to .815 (ordinal) and .797 (ratio).
const PAPER: Cell[][] = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
];

test("alpha reproduces Krippendorff's 2011 worked example at all four levels", () => {
  const units = unitsOf(PAPER);
  const nominal = krippendorffAlpha(units, { level: 'nominal' });
  close(nominal.alpha, 113 / 152);
  close(nominal.alpha, 0.743, 3);
  assert.equal(nominal.pairable, 40); // the paper's n.. = 40 (unit 12 has one value and drops out)
  assert.equal(nominal.units, 11);
  close(krippendorffAlpha(units, { level: 'ordinal' }).alpha, 108577 / 133160);
  close(krippendorffAlpha(units, { level: 'ordinal' }).alpha, 0.815, 3);
  close(krippendorffAlpha(units, { level: 'interval' }).alpha, 951 / 1120);
  close(krippendorffAlpha(units, { level: 'interval' }).alpha, 0.849, 3);
  close(krippendorffAlpha(units, { level: 'ratio' }).alpha, 18222619 / 22852465);
  close(krippendorffAlpha(units, { level: 'ratio' }).alpha, 0.797, 3);
});

test('alpha reproduces the Wikipedia computational example (3 coders × 15 units): nominal 0.691358, interval 0.810845', () => {
  // https://en.wikipedia.org/wiki/Krippendorff%27s_alpha#A_computational_example; the same values are
  // asserted to six decimals in fast-krippendorff's tests (test_nominal_metric_reliability_data, test_interval_metric).
  const data: Cell[][] = [
    [null, null, null, null, null, 3, 4, 1, 2, 1, 1, 3, 3, null, 3],
    [1, null, 2, 1, 3, 3, 4, 3, null, null, null, null, null, null, null],
    [null, null, 2, 1, 3, 4, 4, null, 2, 1, 1, 3, 3, null, 4],
  ];
  close(krippendorffAlpha(unitsOf(data), { level: 'nominal' }).alpha, 0.691358);
  close(krippendorffAlpha(unitsOf(data), { level: 'interval' }).alpha, 0.810845);
});

test('alpha: ordinal text values follow the given order; degenerate cases are defined', () => {
  const names = ['very low', 'low', 'mid', 'high', 'very high'];
  const asText = unitsOf(PAPER).map((u) => u.map((v) => names[v - 1] as string));
  close(krippendorffAlpha(asText, { level: 'ordinal', values: names }).alpha, 108577 / 133160);
  assert.throws(() => krippendorffAlpha(asText, { level: 'ordinal' }), /needs their order/);
  assert.throws(() => krippendorffAlpha([['a', 'b']], { level: 'interval' }), /numeric values/);
  assert.equal(
    krippendorffAlpha([
      [1, 1],
      [1, 1, 1],
    ]).alpha,
    1,
  );
  assert.ok(Number.isNaN(krippendorffAlpha([[1], [2]]).alpha));
  assert.equal(
    krippendorffAlpha(
      [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
      { level: 'ratio' },
    ).alpha,
    1,
  );
});

/** Seeded LCG for the random reference cases. */
const lcg = (seed: number) => () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;

/** Alpha straight from its definition: mean within-unit pairwise δ² over mean all-pairs δ², no coincidence matrix. */
function bruteAlpha(units: number[][], level: MeasurementLevel): number {
  const pairable = units.filter((u) => u.length >= 2);
  const all = pairable.flat();
  const n = all.length;
  const count = (v: number) => all.filter((x) => x === v).length;
  const delta = (a: number, b: number): number => {
    if (level === 'nominal') return a === b ? 0 : 1;
    if (level === 'interval') return (a - b) ** 2;
    if (level === 'ratio') return a + b === 0 ? 0 : ((a - b) / (a + b)) ** 2;
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const between = [...new Set(all)].filter((g) => g >= lo && g <= hi).reduce((s, g) => s + count(g), 0);
    return (between - (count(lo) + count(hi)) / 2) ** 2;
  };
  let dObs = 0;
  for (const u of pairable) {
    for (let i = 0; i < u.length; i++)
      for (let j = 0; j < u.length; j++)
        if (i !== j) dObs += delta(u[i] as number, u[j] as number) / (u.length - 1);
  }
  let dExp = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if (i !== j) dExp += delta(all[i] as number, all[j] as number);
  return dExp === 0 ? 1 : 1 - dObs / n / (dExp / (n * (n - 1)));
}

test('alpha equals the pairwise-disagreement definition on random data with missing ratings', () => {
  const rand = lcg(3);
  for (let trial = 0; trial < 40; trial++) {
    const raters = 2 + Math.floor(rand() * 4);
    const k = 2 + Math.floor(rand() * 5);
    const units = Array.from({ length: 4 + Math.floor(rand() * 25) }, () => {
      const truth = Math.floor(rand() * k);
      return Array.from({ length: raters }, () => (rand() < 0.7 ? truth : Math.floor(rand() * k)) + 1).filter(
        () => rand() > 0.25,
      );
    });
    for (const level of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      const expected = bruteAlpha(units, level);
      const actual = krippendorffAlpha(units, { level }).alpha;
      if (Number.isNaN(expected)) assert.ok(Number.isNaN(actual));
      else close(actual, expected, 9);
    }
  }
});

test('bootstrap: same seed, same interval; a different seed differs; the interval brackets the estimate', () => {
  const units = unitsOf(PAPER).filter((u) => u.length >= 2);
  const stat = (s: readonly number[][]) => krippendorffAlpha(s).alpha;
  const a = bootstrapInterval(units, stat, { seed: 42, resamples: 500 });
  const b = bootstrapInterval(units, stat, { seed: 42, resamples: 500 });
  const c = bootstrapInterval(units, stat, { seed: 43, resamples: 500 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.ok(a.low <= 113 / 152 && 113 / 152 <= a.high, JSON.stringify(a));
  assert.ok(a.low > -1 && a.high <= 1);
  // The seeded generator is uniform enough: mean of 10,000 draws near 0.5.
  const r = seededRandom(1);
  let s = 0;
  for (let i = 0; i < 10_000; i++) s += r();
  close(s / 10_000, 0.5, 1);
  // Type-7 quantile, as R and NumPy: median of 1..4 is 2.5, 0.25 quantile is 1.75.
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75);
});
