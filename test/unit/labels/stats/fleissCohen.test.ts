// Fleiss' and Cohen's kappa on published worked examples, exact to six decimals, and against a
// brute-force confusion-matrix loop on random data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fleissItemAgreement, fleissKappa } from '../../../../src/labels/stats/fleiss.js';
import { cohenKappa, cohenKappaDetail } from '../../../../src/labels/stats/cohen.js';

const close = (actual: number, expected: number, digits = 6): void => {
  assert.ok(
    Math.abs(actual - expected) < 0.5 * 10 ** -digits,
    `${actual} ≠ ${expected} to ${digits} decimals`,
  );
};

// Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological Bulletin 76(5):
// 30 patients, 6 psychiatrists, 5 diagnoses (1 depression, 2 personality disorder, 3 schizophrenia,
// 4 neurosis, 5 other). Raw ratings as distributed in R's irr package (`diagnoses`) and copied in
// statsmodels' test_inter_rater.py; irr::kappam.fleiss gives 0.4302445 (Fleiss reports 0.430).
export const DIAGNOSES = [
  [4, 4, 4, 4, 4, 4],
  [2, 2, 2, 5, 5, 5],
  [2, 3, 3, 3, 3, 5],
  [5, 5, 5, 5, 5, 5],
  [2, 2, 2, 4, 4, 4],
  [1, 1, 3, 3, 3, 3],
  [3, 3, 3, 3, 5, 5],
  [1, 1, 3, 3, 3, 4],
  [1, 1, 4, 4, 4, 4],
  [5, 5, 5, 5, 5, 5],
  [1, 4, 4, 4, 4, 4],
  [1, 2, 4, 4, 4, 4],
  [2, 2, 2, 3, 3, 3],
  [1, 4, 4, 4, 4, 4],
  [2, 2, 4, 4, 4, 5],
  [3, 3, 3, 3, 3, 5],
  [1, 1, 1, 4, 5, 5],
  [1, 1, 1, 1, 1, 2],
  [2, 2, 4, 4, 4, 4],
  [1, 3, 3, 5, 5, 5],
  [5, 5, 5, 5, 5, 5],
  [2, 4, 4, 4, 4, 4],
  [2, 2, 4, 5, 5, 5],
  [1, 1, 4, 4, 4, 4],
  [1, 4, 4, 4, 4, 5],
  [2, 2, 2, 2, 2, 4],
  [1, 1, 1, 1, 5, 5],
  [2, 2, 4, 4, 4, 4],
  [1, 3, 3, 3, 3, 3],
  [5, 5, 5, 5, 5, 5],
];

const toCounts = (rows: number[][], k: number): number[][] =>
  rows.map((r) => Array.from({ length: k }, (_, c) => r.filter((v) => v === c + 1).length));

test("Fleiss' kappa reproduces Fleiss (1971): 0.430 (irr: 0.4302445)", () => {
  close(fleissKappa(toCounts(DIAGNOSES, 5)), 0.4302445);
  // Column totals from statsmodels' test_aggregate_raters.
  const counts = toCounts(DIAGNOSES, 5);
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((k) => counts.reduce((s, r) => s + (r[k] ?? 0), 0)),
    [26, 26, 30, 55, 43],
  );
});

test("Fleiss' kappa reproduces the Wikipedia example (10 items, 14 raters): P_e 0.213, κ 0.210", () => {
  // https://en.wikipedia.org/wiki/Fleiss%27_kappa worked example (also statsmodels test table1).
  const table = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];
  const { perItem, pe } = fleissItemAgreement(table);
  close(pe, 0.2128, 4); // Wikipedia: P̄_e = 0.213
  close(fleissKappa(table), 0.20993070442195522, 12); // the exact value of the same formula
  // Per-item term: item 1 is unanimous → (1 − P_e)/(1 − P_e) = 1; item 2 has P_i = 0.253.
  close(perItem[0] ?? Number.NaN, 1);
  close(perItem[1] ?? Number.NaN, (0.2527472527 - pe) / (1 - pe), 6);
});

test('per-item agreement: degenerate cases are defined', () => {
  // One category everywhere: P_e = 1, every item unanimous → 1.
  assert.deepEqual(
    fleissItemAgreement([
      [3, 0],
      [2, 0],
    ]),
    { perItem: [1, 1], pe: 1 },
  );
  // A single rating cannot agree with anything.
  assert.ok(
    Number.isNaN(
      fleissItemAgreement([
        [1, 0],
        [2, 1],
      ]).perItem[0],
    ),
  );
  // Three raters split 2:1 on a balanced set: P_i = 1/3, P_e = 1/2 → −1/3.
  close(
    fleissItemAgreement([
      [2, 1],
      [1, 2],
    ]).perItem[0] ?? Number.NaN,
    -1 / 3,
  );
  assert.throws(() => fleissItemAgreement([[1.5, 0]]), /counts\[0\]\[0\]/);
});

// Anxiety ratings (R irr package `anxiety`, 20 subjects, raters 2 and 3), copied from statsmodels'
// test_inter_rater.py with irr::kappa2 values: unweighted −0.006289308, "equal" (linear) 0.1459075,
// "squared" 0.2520325. irr ranks the levels present (1,2,3,4,6), as cohenKappa does by default.
const RATER2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4];
const RATER3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2];

test("Cohen's kappa reproduces irr::kappa2 on the anxiety data (unweighted, linear, quadratic)", () => {
  close(cohenKappa(RATER2, RATER3), -0.006289308);
  close(cohenKappa(RATER2, RATER3, { weights: 'linear' }), 0.1459075);
  close(cohenKappa(RATER2, RATER3, { weights: 'quadratic' }), 0.2520325);
});

test("Cohen's kappa reproduces the SAS PROC FREQ example (statsmodels table10): 0.4842, weighted 0.4701", () => {
  const table = [
    [0, 4, 1],
    [0, 8, 0],
    [0, 1, 5],
  ];
  const a: number[] = [];
  const b: number[] = [];
  table.forEach((row, i) =>
    row.forEach((c, j) => {
      for (let n = 0; n < c; n++) {
        a.push(i);
        b.push(j);
      }
    }),
  );
  close(cohenKappa(a, b, { categories: [0, 1, 2] }), 0.4842, 4);
  close(cohenKappa(a, b, { categories: [0, 1, 2], weights: 'linear' }), 0.4701, 4);
});

test("Cohen's kappa: the Wikipedia example (50 proposals, yes/no): p_o 0.7, p_e 0.5, κ 0.4", () => {
  // https://en.wikipedia.org/wiki/Cohen%27s_kappa: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no.
  const a = [...Array(25).fill('yes'), ...Array(25).fill('no')] as string[];
  const b = [
    ...Array(20).fill('yes'),
    ...Array(5).fill('no'),
    ...Array(10).fill('yes'),
    ...Array(15).fill('no'),
  ] as string[];
  const d = cohenKappaDetail(a, b);
  close(d.po, 0.7);
  close(d.pe, 0.5);
  close(d.kappa, 0.4);
});

test("Cohen's kappa: degenerate and bad input", () => {
  assert.equal(cohenKappa(['a', 'a'], ['a', 'a']), 1);
  assert.ok(Number.isNaN(cohenKappa([], [])));
  assert.throws(() => cohenKappa(['a'], ['a', 'b']), /same items/);
  assert.throws(() => cohenKappa(['a'], ['z'], { categories: ['a', 'b'] }), /not among the categories/);
});

/** Seeded LCG so the random reference cases are reproducible. */
const lcg = (seed: number) => () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;

test("Cohen's kappa equals a brute-force pairwise-disagreement reference on random data", () => {
  const rand = lcg(7);
  for (let trial = 0; trial < 50; trial++) {
    const k = 2 + Math.floor(rand() * 4);
    const n = 5 + Math.floor(rand() * 40);
    const a = Array.from({ length: n }, () => Math.floor(rand() * k));
    const b = a.map((x) => (rand() < 0.6 ? x : Math.floor(rand() * k)));
    for (const weights of ['none', 'linear', 'quadratic'] as const) {
      const cats = Array.from({ length: k }, (_, i) => i);
      const w = (x: number, y: number) =>
        weights === 'none' ? Number(x !== y) : weights === 'linear' ? Math.abs(x - y) : (x - y) ** 2;
      // Observed: mean weight over the items; expected: mean weight over every (item, item') pairing.
      let obs = 0;
      let exp = 0;
      for (let i = 0; i < n; i++) {
        obs += w(a[i] as number, b[i] as number);
        for (let j = 0; j < n; j++) exp += w(a[i] as number, b[j] as number);
      }
      const expected = exp === 0 ? 1 : 1 - obs / n / (exp / (n * n));
      close(cohenKappa(a, b, { weights, categories: cats }), expected, 9);
    }
  }
});

test("Fleiss' kappa equals a brute-force rater-pair count on random data", () => {
  const rand = lcg(11);
  for (let trial = 0; trial < 30; trial++) {
    const k = 2 + Math.floor(rand() * 3);
    const raters = 2 + Math.floor(rand() * 4);
    const items = Array.from({ length: 3 + Math.floor(rand() * 20) }, () =>
      Array.from({ length: raters }, () => Math.floor(rand() * k)),
    );
    // P̄ by enumerating ordered rater pairs; P_e from pooled category shares.
    let agree = 0;
    for (const it of items)
      for (let x = 0; x < raters; x++)
        for (let y = 0; y < raters; y++) if (x !== y && it[x] === it[y]) agree++;
    const pbar = agree / (items.length * raters * (raters - 1));
    const all = items.flat();
    const pe = Array.from(
      { length: k },
      (_, c) => (all.filter((v) => v === c).length / all.length) ** 2,
    ).reduce((s, v) => s + v, 0);
    const expected = pe === 1 ? 1 : (pbar - pe) / (1 - pe);
    const counts = items.map((it) => Array.from({ length: k }, (_, c) => it.filter((v) => v === c).length));
    close(fleissKappa(counts), expected, 9);
    const { perItem } = fleissItemAgreement(counts);
    close(perItem.reduce((s, v) => s + v, 0) / perItem.length, expected, 9); // mean of per-item terms = κ
  }
});
