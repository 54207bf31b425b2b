// The band arithmetic docs/review.md states, checked against the Fleiss module pair_review matches: with
// three annotators a 2–1 split never reaches 'review' under the default thresholds, one dissenter among
// eight does at P_e = 0.5, and the config takes the negative discard_below that sends splits to review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../../../src/config/schema.js';
import { itemAgreement } from '../../../src/labels/stats/fleiss.js';
import { DEFAULTS } from '../../../src/names.js';

/** The per-item term for an item's [chosen, rejected, tie] counts at a given P_e. */
const term = (row: number[], pe: number) => (itemAgreement(row) - pe) / (1 - pe);

test('a 2–1 split of three scores at most 0, below the default discard threshold, at any P_e', () => {
  for (const pe of [1 / 3, 0.4, 0.5, 0.68, 0.9]) {
    const split = term([2, 1, 0], pe);
    assert.ok(split <= 1e-12, `P_e ${pe}: ${split}`);
    assert.ok(split < DEFAULTS.reviewDiscardBelow);
    assert.equal(term([3, 0, 0], pe), 1);
  }
  assert.equal(Number(term([2, 1, 0], 0.5).toFixed(6)), -0.333333);
  assert.equal(Number(term([2, 1, 0], 0.68).toFixed(2)), -1.08);
  // discard_below -2 keeps a 2–1 split out of discard up to P_e = 7/9, not beyond.
  assert.ok(term([2, 1, 0], 7 / 9) >= -2 - 1e-12);
  assert.ok(term([2, 1, 0], 0.8) < -2);
});

test('one dissenter among K at P_e = 0.5 scores (K − 4)/K: review from K = 8', () => {
  const at = (k: number) => term([k - 1, 1, 0], 0.5);
  assert.ok(Math.abs(at(4)) < 1e-12);
  assert.ok(Math.abs(at(5) - 0.2) < 1e-12);
  assert.ok(at(7) < DEFAULTS.reviewDiscardBelow);
  assert.ok(Math.abs(at(8) - 0.5) < 1e-12);
  assert.ok(Math.abs(at(10) - 0.6) < 1e-12);
});

test('review.bands accepts a discard threshold under −1 and refuses one above train_from', () => {
  const bands = (b: object) => configSchema.safeParse({ review: { bands: b } });
  const low = bands({ discard_below: -2, train_from: 0.7 });
  assert.ok(low.success);
  assert.equal(low.data.review.bands.discard_below, -2);
  assert.equal(bands({ discard_below: 0.8, train_from: 0.7 }).success, false);
  assert.equal(bands({ discard_below: 0.5, train_from: 1.5 }).success, false);
});
