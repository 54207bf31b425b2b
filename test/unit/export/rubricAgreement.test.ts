// Rubric agreement statistics: the Wilson interval against Newcombe's published worked examples and a
// brute-force inversion of the score test, and the gate's statuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureAgreement } from '../../../src/export/rubricAgreement.js';
import { wilsonInterval } from '../../../src/score/calibrate/wilson.js';

test('Wilson 95% intervals match Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3', () => {
  // r/n → [lower, upper] to four decimals, as published.
  const published: Array<[number, number, number, number]> = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  for (const [r, n, lo, hi] of published) {
    const [l, h] = wilsonInterval(r, n);
    assert.equal(l.toFixed(4), lo.toFixed(4), `${r}/${n} lower`);
    assert.equal(h.toFixed(4), hi.toFixed(4), `${r}/${n} upper`);
  }
});

/** The Wilson interval by definition: every p the two-sided score test at z does not reject, found by bisection. */
function bruteForce(k: number, n: number, z = 1.96): [number, number] {
  const phat = k / n;
  const accepted = (p: number) => (phat - p) ** 2 <= (z * z * p * (1 - p)) / n;
  const edge = (inside: number, outside: number) => {
    for (let i = 0; i < 200; i++) {
      const mid = (inside + outside) / 2;
      if (accepted(mid)) inside = mid;
      else outside = mid;
    }
    return inside;
  };
  return [k === 0 ? 0 : edge(phat, 0), k === n ? 1 : edge(phat, 1)];
}

test('Wilson intervals agree with a brute-force inversion of the score test on random counts', () => {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 500; i++) {
    const n = 1 + Math.floor(rand() * 400);
    const k = Math.floor(rand() * (n + 1));
    const [l, h] = wilsonInterval(k, n);
    const [bl, bh] = bruteForce(k, n);
    assert.ok(Math.abs(l - bl) < 1e-9 && Math.abs(h - bh) < 1e-9, `${k}/${n}: ${l},${h} vs ${bl},${bh}`);
  }
});

test('the gate: unknown when nothing is separated, agrees only when the lower bound clears the floor', () => {
  const counts = { rubricId: 'q', rubricVersion: '1', humanPairs: 20, scored: 12 };
  const none = measureAgreement({ ...counts, separated: 0, agreed: 0 }, 0.5);
  assert.deepEqual([none.status, none.agreement], ['unknown', null]);
  // 3/3 agree, but the interval (0.44, 1) still reaches below 0.5: not enough evidence.
  assert.equal(measureAgreement({ ...counts, separated: 3, agreed: 3 }, 0.5).status, 'below_floor');
  // 6/6: lower bound 0.61.
  const six = measureAgreement({ ...counts, separated: 6, agreed: 6 }, 0.5);
  assert.equal(six.status, 'agrees');
  assert.ok(six.lower > 0.6 && six.lower < 0.62);
  // A rubric that orders people's pairs backwards.
  const backwards = measureAgreement({ ...counts, separated: 10, agreed: 1 }, 0.5);
  assert.deepEqual([backwards.status, backwards.agreement], ['below_floor', 0.1]);
  // The floor is the rubric file's: 6/6 does not clear 0.7.
  assert.equal(measureAgreement({ ...counts, separated: 6, agreed: 6 }, 0.7).status, 'below_floor');
});
