// The reward endpoint's pure core: reading a batch (every problem with its index) and combining rubric results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { combineReward, itemRecord, RewardScorer } from '../../../src/reward/RewardScorer.js';
import { parseScoreRequest, ScoreRequestError } from '../../../src/reward/scoreRequest.js';
import { parseRubricFile } from '../../../src/score/RubricFile.js';

function problemsOf(body: unknown): string[] {
  try {
    parseScoreRequest(body, 100);
  } catch (err) {
    assert.ok(err instanceof ScoreRequestError);
    return [...err.problems, err.message];
  }
  assert.fail('expected a ScoreRequestError');
}

test('one object, an array, or a wrapper with judges; a string prompt is one user message', () => {
  const one = parseScoreRequest({ prompt: 'hi there', completion: 'hello', judges: true }, 10);
  assert.equal(one.single, true);
  assert.equal(one.judges, true);
  assert.deepEqual(one.items[0]!.prompt, [{ role: 'user', content: 'hi there' }]);
  const many = parseScoreRequest(
    [{ prompt: [{ role: 'user', content: 'q' }], completion: '', context: ['doc'] }],
    10,
  );
  assert.equal(many.single, false);
  assert.deepEqual(many.items[0]!.context, ['doc']);
  assert.equal(many.items[0]!.completion, '', 'an empty completion is scored, not refused');
  const wrapped = parseScoreRequest({ items: [{ prompt: 'q', completion: 'a' }], judges: false }, 10);
  assert.equal(wrapped.items.length, 1);
  assert.equal(wrapped.judges, false);
});

test('every problem of every item, with its index; nothing returned', () => {
  const problems = problemsOf([
    { prompt: 'ok', completion: 'ok' },
    { prompt: [{ role: '', content: 'x' }], completion: null, model: 3 },
    { prompt: 'x', completion: 'y', judges: true },
  ]);
  assert.ok(problems.includes('items[1].prompt[0]: expected {role: non-empty string, content: string}'));
  assert.ok(problems.includes('items[1].completion: expected a string'));
  assert.ok(problems.includes('items[1].model: expected a string'));
  assert.ok(problems.some((p) => p.startsWith('items[2].judges: ask for judges once')));
  assert.ok(problems.some((p) => /4 problems in the request; nothing was scored/.test(p)));
  assert.ok(problemsOf([]).includes('the batch is empty: send at least one item'));
  assert.ok(problemsOf({ prompt: '', completion: 'a' }).includes('prompt: is empty'));
  assert.match(problemsOf(7).at(-1)!, /must be an item/);
  assert.match(problemsOf(Array.from({ length: 101 }, () => ({}))).at(-1)!, /at most 100 items/);
});

test('the combination is Path A’s: weighted, signed by direction, only rubrics that applied and feed pairs', () => {
  const rubrics = new Map([
    ['good', { higherIsBetter: true, pairs: { weight: 2 } }],
    ['bad', { higherIsBetter: false, pairs: { weight: 1 } }],
    ['unpaired', { higherIsBetter: true, pairs: null }],
  ]);
  const r = (rubric: string, score: number) => ({ rubric, score, label: '', pass: true });
  assert.equal(
    combineReward([r('good', 0.9), r('bad', 0.3), r('unpaired', 0)], rubrics),
    (2 * 0.9 - 0.3) / 3,
  );
  assert.equal(combineReward([r('good', 0.5)], rubrics), 0.5);
  assert.equal(combineReward([r('unpaired', 1)], rubrics), 0, 'no weighted rubric applied: 0');
  assert.equal(combineReward([], rubrics), 0);
});

test('the default rubric file: results in rubric-file order, the set hash as rubric_version', () => {
  const set = parseRubricFile(readFileSync('collector-config/rubrics.yaml'), 'rubrics.yaml');
  const scorer = new RewardScorer(set);
  const answer = scorer.score([
    {
      prompt: [{ role: 'user', content: 'How do I reset my password?' }],
      completion: 'Open Settings, then Security.',
      context: [],
      model: '',
      service: '',
      attributes: {},
    },
  ]);
  assert.equal(answer.rubric_version, set.hash);
  const order = set.rubrics.map((r) => r.id);
  const ids = answer.results[0]!.map((r) => r.rubric);
  assert.deepEqual(
    ids,
    [...ids].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
  );
  assert.ok(ids.includes('toxicity'));
});

test('store is refused, saying why; attributes are read and checked', () => {
  assert.throws(
    () => parseScoreRequest({ prompt: 'hi', completion: 'hello', store: true }, 10),
    (err: ScoreRequestError) =>
      err.problems.some((p) => /^store: .*never writes to the store.*\/v1\/traces/.test(p)),
  );
  assert.throws(
    () => parseScoreRequest({ items: [{ prompt: 'hi', completion: 'hello' }], store: true }, 10),
    (err: ScoreRequestError) => err.problems.some((p) => /^store: .*never writes/.test(p)),
  );
  const ok = parseScoreRequest(
    [{ prompt: 'hi', completion: '{}', attributes: { 'llm.invocation_parameters': '{}', n: 2, ok: true } }],
    10,
  );
  assert.deepEqual(ok.items[0]!.attributes, { 'llm.invocation_parameters': '{}', n: 2, ok: true });
  assert.throws(
    () =>
      parseScoreRequest(
        [
          { prompt: 'a', completion: 'b', attributes: 'x' },
          { prompt: 'a', completion: 'b', attributes: { deep: { x: 1 }, n: null } },
        ],
        10,
      ),
    (err: ScoreRequestError) =>
      [
        'items[0].attributes: expected an object',
        'items[1].attributes.deep:',
        'items[1].attributes.n:',
      ].every((want) => err.problems.some((p) => p.startsWith(want))),
  );
});

test('an item’s attributes reach the record the rubrics see; the span kind stays LLM', () => {
  const record = itemRecord({
    prompt: [{ role: 'user', content: 'hi' }],
    completion: 'hello',
    context: [],
    model: '',
    service: '',
    attributes: { 'openinference.span.kind': 'TOOL', team: 'billing' },
  });
  assert.equal(record.span.attributes.team, 'billing');
  assert.equal(record.span.attributes['openinference.span.kind'], 'LLM');
});
