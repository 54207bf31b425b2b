// Judge answers read robustly: JSON, fenced JSON, prose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePairwise, parsePointwise } from '../../../../src/score/judge/parseJudgeAnswer.js';
import { combine } from '../../../../src/score/judge/LlmJudge.js';

const scale = { min: 1, max: 10 };

test('pointwise: plain JSON, fenced JSON with chatter, alternative keys', () => {
  assert.deepEqual(parsePointwise('{"score": 10, "label": "good", "explanation": "fine"}', scale), {
    score: 1,
    raw: 10,
    label: 'good',
    explanation: 'fine',
  });
  const fenced = parsePointwise(
    'Sure! Here you go:\n```json\n{"rating": "7", "reasoning": "ok {not json}"}\n```',
    scale,
  );
  assert.equal(fenced?.score, 0.6667);
  assert.equal(fenced?.explanation, 'ok {not json}');
});

test('pointwise: prose forms', () => {
  assert.equal(parsePointwise('The answer is decent. Score: 7/10', scale)?.score, 0.6667);
  assert.equal(parsePointwise('I would give it 4 out of 5.', scale)?.score, 0.8);
  assert.equal(parsePointwise('Rating: [[1]]', scale)?.score, 0);
  assert.equal(parsePointwise('**Score:** 5', scale)?.raw, 5);
});

test('pointwise: out-of-scale and scoreless answers are rejected', () => {
  assert.equal(parsePointwise('{"score": 42}', scale), null);
  assert.equal(parsePointwise('I cannot grade this.', scale), null);
  assert.equal(parsePointwise('', scale), null);
});

test('pairwise: JSON, brackets, labelled prose, ties', () => {
  assert.equal(parsePairwise('{"winner": "B", "explanation": "x"}')?.winner, 'B');
  assert.equal(parsePairwise('```json\n{"winner": "Response A"}\n```')?.winner, 'A');
  assert.equal(parsePairwise('After thought, [[B]]')?.winner, 'B');
  assert.equal(parsePairwise('Verdict: tie')?.winner, 'tie');
  assert.equal(parsePairwise('Response A is better because it is concise.')?.winner, 'A');
  assert.equal(parsePairwise('A')?.winner, 'A');
  assert.equal(parsePairwise('Both have merits.'), null);
});

test('both orders combine into a verdict with a confidence', () => {
  assert.deepEqual(combine('A', 'A', ''), {
    winner: 'A',
    confidence: 1,
    orders: ['A', 'A'],
    label: 'consistent',
    explanation: '',
  });
  assert.equal(combine('A', 'B', '').label, 'order_flip');
  assert.equal(combine('A', 'B', '').winner, 'tie');
  assert.equal(combine('A', 'B', '').confidence, 0);
  assert.deepEqual([combine('tie', 'B', '').winner, combine('tie', 'B', '').confidence], ['B', 0.5]);
  assert.deepEqual([combine(null, 'A', '').winner, combine(null, 'A', '').confidence], ['A', 0.5]);
  assert.equal(combine('tie', 'tie', '').confidence, 1);
});
