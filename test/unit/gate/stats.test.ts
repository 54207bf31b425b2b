// The gate's statistics against published examples and brute-force references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mean, pairedBootstrap, quantile, unpairedBootstrap } from '../../../src/gate/stats/bootstrap.js';
import { exactMcNemar } from '../../../src/gate/stats/mcnemar.js';
import { implicitRewardAccuracy, judgeWinRate } from '../../../src/gate/stats/preference.js';
import { seededRandom } from '../../../src/seededRandom.js';
import { fleissKappa } from '../../../src/gate/readiness.js';

test('exact McNemar: Fagerland, Lydersen & Laake (2013), airway hyper-responsiveness, b = 1, c = 7 → p = 0.0703', () => {
  const r = exactMcNemar(1, 7);
  assert.equal(r.p, 9 / 128); // 2 · (C(8,0) + C(8,1)) / 2^8
  assert.equal(r.p.toFixed(4), '0.0703');
  assert.equal(exactMcNemar(7, 1).p, r.p, 'two-sided: symmetric');
  assert.equal(exactMcNemar(0, 0).p, 1);
  assert.equal(exactMcNemar(3, 3).p, 1, 'capped at 1');
  assert.equal(exactMcNemar(0, 5).p, 2 / 32);
});

test('exact McNemar matches the binomial tail in exact integer arithmetic, and does not underflow', () => {
  const choose = (n: bigint, k: bigint): bigint => {
    let c = 1n;
    for (let i = 0n; i < k; i++) c = (c * (n - i)) / (i + 1n);
    return c;
  };
  for (const [b, c] of [
    [4, 17],
    [12, 30],
    [25, 25],
    [0, 60],
  ] as const) {
    const n = BigInt(b + c);
    let tail = 0n;
    for (let k = 0n; k <= BigInt(Math.min(b, c)); k++) tail += choose(n, k);
    const exact = Math.min(1, (2 * Number((tail * 10n ** 18n) / 2n ** n)) / 1e18);
    assert.ok(Math.abs(exactMcNemar(b, c).p - exact) < 1e-12, `${b}/${c}`);
  }
  const big = exactMcNemar(500, 620);
  assert.ok(big.p > 0 && big.p < 0.001 && Number.isFinite(big.p));
});

test('paired bootstrap: reproducible with its seed, moved by another seed', () => {
  const random = seededRandom(7);
  const diffs = Array.from({ length: 40 }, () => random() - 0.4);
  const a = pairedBootstrap(diffs, { seed: 3 });
  assert.deepEqual(pairedBootstrap(diffs, { seed: 3 }), a);
  assert.notDeepEqual(pairedBootstrap(diffs, { seed: 4 }), a);
  assert.equal(a.estimate, mean(diffs));
  assert.ok(a.low < a.estimate && a.estimate < a.high);
  assert.deepEqual(pairedBootstrap([0.25, 0.25, 0.25], { seed: 1 }), {
    estimate: 0.25,
    low: 0.25,
    high: 0.25,
    n: 3,
  });
  assert.ok(Number.isNaN(pairedBootstrap([], { seed: 1 }).estimate));
});

test('paired bootstrap agrees with the exact bootstrap distribution (all n^n resamples, brute force)', () => {
  const diffs = [-0.3, 0.1, 0.4, 0.05, 0.9];
  const n = diffs.length;
  const means: number[] = [];
  const idx = new Array<number>(n).fill(0);
  for (;;) {
    means.push(idx.reduce((s, i) => s + diffs[i]!, 0) / n);
    let k = 0;
    while (k < n && ++idx[k]! === n) idx[k++] = 0;
    if (k === n) break;
  }
  assert.equal(means.length, n ** n);
  means.sort((x, y) => x - y);
  const exact = { low: quantile(means, 0.025), high: quantile(means, 0.975) };
  const mc = pairedBootstrap(diffs, { seed: 11, iterations: 40_000 });
  assert.ok(Math.abs(mc.low - exact.low) < 0.03, `low ${mc.low} vs exact ${exact.low}`);
  assert.ok(Math.abs(mc.high - exact.high) < 0.03, `high ${mc.high} vs exact ${exact.high}`);
});

test('unpaired bootstrap: the difference of means, reproducible, wider than either side alone', () => {
  const a = [0.1, 0.2, 0.3, 0.2, 0.1, 0.4];
  const b = [0.5, 0.6, 0.4, 0.7, 0.5];
  const r = unpairedBootstrap(a, b, { seed: 2 });
  assert.deepEqual(unpairedBootstrap(a, b, { seed: 2 }), r);
  assert.ok(Math.abs(r.estimate - (mean(b) - mean(a))) < 1e-12);
  assert.ok(r.low > 0, 'clearly better');
  assert.equal(r.n, 5);
});

test('quantile is type 7 (linear between order statistics)', () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([1, 2, 3, 4], 0), 1);
  assert.equal(quantile([1, 2, 3, 4], 1), 4);
  assert.ok(Math.abs(quantile([10, 20, 30], 0.25) - 15) < 1e-12);
});

test('DPO implicit-reward accuracy, by hand: r = β·[(log π − log π_ref)(chosen) − (same)(rejected)] > 0', () => {
  const r = implicitRewardAccuracy([
    // (−10 + 12) − (−20 + 15) = 2 + 5 = 7 > 0: right
    { candidateChosen: -10, candidateRejected: -20, referenceChosen: -12, referenceRejected: -15 },
    // (−30 + 25) − (−10 + 12) = −5 − 2 = −7: wrong
    { candidateChosen: -30, candidateRejected: -10, referenceChosen: -25, referenceRejected: -12 },
    // candidate = reference: margin 0, a tie, not right
    { candidateChosen: -5, candidateRejected: -6, referenceChosen: -5, referenceRejected: -6 },
  ]);
  assert.deepEqual(r, { method: 'implicit_reward', accuracy: 1 / 3, n: 3, correct: 1, ties: 1 });
});

test('judge win rate: both orders must agree; a flip is a tie counting half', () => {
  const r = judgeWinRate([
    { candidateFirst: 'candidate', candidateSecond: 'candidate' },
    { candidateFirst: 'candidate', candidateSecond: 'baseline' },
    { candidateFirst: 'baseline', candidateSecond: 'baseline' },
    { candidateFirst: 'tie', candidateSecond: 'tie' },
  ]);
  assert.equal(r.correct, 1);
  assert.equal(r.ties, 2);
  assert.equal(r.accuracy, (1 + 1) / 4);
});

test("Fleiss' kappa: the published 10 × 14 example (Fleiss 1971, as on Wikipedia) gives 0.210", () => {
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
  assert.equal(fleissKappa(table)!.toFixed(3), '0.210');
  assert.equal(fleissKappa([]), null);
  assert.equal(
    fleissKappa([
      [3, 0, 0],
      [0, 3, 0],
    ]),
    1,
  );
});
