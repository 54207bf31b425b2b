// A source's agreement with people: Cohen's kappa on a fixed per-pair orientation (a source always prefers
// its chosen answer, so a fixed "chosen" would give kappa 0 by construction), with a seeded interval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oriented, sourceAgreements } from '../../../src/labels/sourceAgreement.js';

const ids = Array.from({ length: 40 }, (_, i) => `pair-${i}`);

test('people agreeing with the source on every pair: kappa 1; against it on every pair: negative', () => {
  const agree = ids.map((pair_id) => ({ pair_id, source: 'judge', human_direction: 'chosen' }));
  const [a] = sourceAgreements(agree);
  assert.equal(a!.kappa, 1);
  assert.equal(a!.status, 'agrees');
  assert.equal(a!.items, 40);
  const against = ids.map((pair_id) => ({ pair_id, source: 'judge', human_direction: 'rejected' }));
  const [b] = sourceAgreements(against);
  assert.ok(b!.kappa! < 0);
  assert.equal(b!.status, 'below_floor');
});

test('the orientation is fixed per pair and roughly balanced; void reads as tie', () => {
  assert.equal(oriented('x', 'chosen'), oriented('x', 'chosen'));
  assert.notEqual(oriented('x', 'chosen'), oriented('x', 'rejected'));
  assert.equal(oriented('x', 'void'), 'tie');
  const first = ids.filter((id) => oriented(id, 'chosen') === 'first').length;
  assert.ok(first > 10 && first < 30, `${first} of 40`);
});

test('the interval is reproducible and brackets kappa', () => {
  const mixed = ids.map((pair_id, i) => ({
    pair_id,
    source: 'rubric',
    human_direction: i % 5 === 0 ? 'rejected' : 'chosen',
  }));
  const [x] = sourceAgreements(mixed, { seed: 3 });
  const [y] = sourceAgreements(mixed, { seed: 3 });
  assert.deepEqual(x, y);
  assert.ok(x!.ci_low! <= x!.kappa! && x!.kappa! <= x!.ci_high!);
});
