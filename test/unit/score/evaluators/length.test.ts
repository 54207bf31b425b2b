// Length in a target range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { length } from '../../../../src/score/evaluators/length.js';
import { syntheticRecord } from '../../../../src/score/syntheticRecord.js';

const score = (response: string, params: unknown, tokens = 0) =>
  length.evaluate(
    { ...syntheticRecord({ prompt: [], response }), tokensCompletion: tokens },
    length.params.parse(params),
  );

test('inside the range scores 1; outside decays', () => {
  assert.equal(score('one two three four', { min: 2, max: 5 })?.label, 'in_range');
  assert.deepEqual(
    [score('one', { min: 4, max: 8 })?.score, score('one', { min: 4, max: 8 })?.label],
    [0.25, 'too_short'],
  );
  assert.deepEqual(score('a b c d e f g h i j', { min: 1, max: 5 })?.score, 0.5);
});

test('chars and tokens units; tokens fall back to words without a count', () => {
  assert.equal(score('abcdefghij', { unit: 'chars', min: 1, max: 5 })?.score, 0.5);
  assert.equal(score('a b', { unit: 'tokens', min: 1, max: 10 }, 20)?.score, 0.5);
  assert.match(score('a b', { unit: 'tokens', min: 1, max: 10 })!.explanation, /no token count/);
});

test('min above max is rejected at load time', () => {
  const r = length.params.safeParse({ min: 10, max: 5 });
  assert.equal(r.success, false);
});
