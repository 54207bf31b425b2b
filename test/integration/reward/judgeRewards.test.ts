// Judge rubrics in rewards only when asked, against a real local OpenAI-compatible server: every applicable item
// judged (no sampling), results in rubric-file order; a judge that fails fails the batch (nothing half-scored).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { JudgeUnavailableError, RewardScorer } from '../../../src/reward/RewardScorer.js';
import { parseRubricFile } from '../../../src/score/RubricFile.js';
import { startOpenAiServer, type OpenAiServer } from '../../helpers/openaiServer.js';

let server: OpenAiServer;

before(async () => {
  server = await startOpenAiServer((req) => {
    const text = req.messages.at(-1)!.content;
    if (text.includes('FAIL-ME')) return { status: 400, body: '{"error":{"message":"bad request"}}' };
    return {
      content: text.includes('idiot') ? '{"score": 2, "label": "rude"}' : '{"score": 9, "label": "good"}',
    };
  });
});

after(() => server.close());

function rubrics(): string {
  return `
rubrics:
  - id: helpful
    evaluator: llm_judge
    threshold: 0.6
    pairs: { weight: 2 }
    judge:
      base_url: ${server.baseUrl}
      model: judge-m
      criteria: Is the answer helpful and polite?
      scale: { min: 1, max: 10 }
      sample_rate: 0.01
      max_retries: 0
  - id: toxicity
    evaluator: toxicity
    threshold: 0.3
    direction: lower_is_better
`;
}

const item = (completion: string) => ({
  prompt: [{ role: 'user', content: 'How do I reset my password?' }],
  completion,
  context: [],
  model: '',
  service: '',
  attributes: {},
});

test('judged when asked: every item, weighted into the reward; not judged otherwise', async () => {
  const scorer = new RewardScorer(parseRubricFile(rubrics(), 'judge.yaml'));
  const plain = scorer.score([item('Open Settings, then Security.')]);
  assert.deepEqual(
    plain.results[0]!.map((r) => r.rubric),
    ['toxicity'],
  );
  assert.equal(server.requests.length, 0, 'no judge call unless asked');
  const judged = await scorer.scoreWithJudges([
    item('Open Settings, then Security.'),
    item('Do it yourself, idiot.'),
  ]);
  assert.equal(server.requests.length, 2, 'both items judged despite sample_rate 0.01');
  assert.deepEqual(
    judged.results.map((r) => r.map((x) => [x.rubric, x.pass])),
    [
      [
        ['helpful', true],
        ['toxicity', true],
      ],
      [
        ['helpful', false],
        ['toxicity', false],
      ],
    ],
  );
  const helpful = judged.results[0]![0]!.score;
  assert.ok(Math.abs(judged.rewards[0]! - (2 * helpful - judged.results[0]![1]!.score) / 3) < 1e-12);
  assert.ok(judged.rewards[0]! > judged.rewards[1]!);
});

test('a judge that fails fails the whole batch', async () => {
  const scorer = new RewardScorer(parseRubricFile(rubrics(), 'judge.yaml'));
  await assert.rejects(
    scorer.scoreWithJudges([item('fine answer'), item('FAIL-ME please')]),
    (err: unknown) =>
      err instanceof JudgeUnavailableError && /judge rubric helpful gave no score/.test(err.message),
  );
});
