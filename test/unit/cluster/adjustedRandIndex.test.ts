// The ARI against scikit-learn's documented examples (adjusted_rand_score docstring).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adjustedRandIndex } from '../../../src/cluster/adjustedRandIndex.js';

test('ARI reproduces scikit-learn adjusted_rand_score worked examples', () => {
  assert.equal(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 1]), 1);
  assert.equal(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]), 1);
  // Documented as 0.57...: index 1, expected 1/3, max 3/2 → 4/7.
  assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1]) - 4 / 7) < 1e-12);
  assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]) - 4 / 7) < 1e-12);
  assert.equal(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3]), 0);
  assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) + 0.5) < 1e-12);
});

test('ARI refuses labelings of different lengths', () => {
  assert.throws(() => adjustedRandIndex([0, 1], [0]), /differ in length/);
});
