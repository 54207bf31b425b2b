// A fix passes only when the rubrics its exemplar failed pass it (every rubric, when the exemplar failed
// none of the file's); a rubric the file lacks or that gives no result fails it, with the reason said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULTS } from '../../../src/names.js';
import { packagePath } from '../../../src/paths.js';
import { loadRubricFile } from '../../../src/score/RubricFile.js';
import { FixRescorer, verdict } from '../../../src/cluster/rescoreFix.js';
import type { FixExemplar } from '../../../src/cluster/FixStore.js';

const set = loadRubricFile(packagePath(DEFAULTS.rubricFile));

const exemplar: FixExemplar = {
  traceId: '1'.repeat(32),
  spanId: '2'.repeat(16),
  prompt: [{ role: 'user', content: 'How do I get a refund for my order?' }],
  response: 'Sorry, I cannot help with that; I must decline.',
  documents: [],
  model: 'm',
  service: 'shop',
  attributes: {},
  failedRubrics: ['answer_refusal', 'completeness'],
};

test('a fix that answers passes the rubrics the refusal failed; another refusal fails them', async () => {
  const rescorer = new FixRescorer(set, { skipJudges: true });
  const good = await rescorer.rescore(
    exemplar,
    'To get a refund for your order, open Orders, pick the order and press Refund; it takes five days.',
  );
  assert.equal(good.status, 'passed', good.reasons.join('; '));
  assert.deepEqual(good.required, ['answer_refusal', 'completeness']);
  assert.ok(good.scores.filter((s) => s.required).every((s) => s.passed));
  const bad = await rescorer.rescore(exemplar, 'Sorry, I cannot help with that.');
  assert.equal(bad.status, 'failed');
  assert.ok(bad.reasons.some((r) => r.startsWith('answer_refusal: scored')));
});

test('verdict: a required rubric missing from the file or without a result fails the fix', () => {
  const scores = [{ rubricId: 'completeness', score: 1, label: 'complete' }];
  const v = verdict(set, ['completeness', 'groundedness', 'refusal'], scores);
  assert.equal(v.status, 'failed');
  assert.deepEqual(v.reasons, [
    'groundedness: gave no result for the fix',
    `refusal: failed by the exemplar but not in the rubric file ${set.source}, so not re-scored`,
  ]);
  assert.equal(verdict(set, ['completeness'], scores).status, 'passed');
});

test('verdict: an exemplar that failed no rubric of the file (a thumbs-down) needs every result to pass', () => {
  assert.equal(
    verdict(set, [], [{ rubricId: 'completeness', score: 1, label: 'complete' }]).status,
    'passed',
  );
  const v = verdict(set, [], [{ rubricId: 'completeness', score: 0, label: 'incomplete' }]);
  assert.deepEqual(v.reasons, ['completeness: scored 0 (incomplete)']);
  assert.deepEqual(verdict(set, [], []).reasons, ['no rubric of the file scored the fix']);
});
