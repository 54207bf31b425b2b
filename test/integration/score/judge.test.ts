// The LLM judge against a real local OpenAI-compatible server: pointwise, pairwise order swap, failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LlmJudge } from '../../../src/score/judge/LlmJudge.js';
import { JudgeRequestError } from '../../../src/score/judge/JudgeClient.js';
import { parseRubricFile } from '../../../src/score/RubricFile.js';
import { Scorer } from '../../../src/score/Scorer.js';
import { syntheticRecord } from '../../../src/score/syntheticRecord.js';
import { Metrics } from '../../../src/observe/Metrics.js';
import type { EvaluationRecord, SpanRecord } from '../../../src/records/types.js';
import { responseShownAs, startOpenAiServer, type Script } from '../../helpers/openaiServer.js';

function judgeFor(baseUrl: string, extra = ''): LlmJudge {
  const set = parseRubricFile(`
rubrics:
  - id: helpful
    evaluator: llm_judge
    threshold: 0.5
    judge:
      base_url: ${baseUrl}
      model: judge-1
      api_key_env: TEST_JUDGE_KEY
      criteria: Is the answer helpful?
      backoff_ms: 5
      ${extra}
`);
  return new LlmJudge(set.rubrics[0]!, { env: { TEST_JUDGE_KEY: 'secret-key' } });
}

async function withServer(
  script: Script,
  run: (baseUrl: string, requests: unknown[]) => Promise<void>,
): Promise<void> {
  const server = await startOpenAiServer(script);
  try {
    await run(server.baseUrl, server.requests);
  } finally {
    await server.close();
  }
}

const prompt = [{ role: 'user', content: 'How do I boil an egg?' }];

test('pointwise: grade parsed from fenced JSON; key sent; cached by rubric version + input', async () => {
  const server = await startOpenAiServer(() => ({
    content: 'Here:\n```json\n{"score": 8, "label": "good", "explanation": "clear steps"}\n```',
  }));
  try {
    const judge = judgeFor(server.baseUrl);
    const r = await judge.grade(prompt, 'Boil water, add the egg, wait 9 minutes.');
    assert.deepEqual(r, { score: 0.7778, label: 'good', explanation: 'clear steps' });
    assert.equal(server.requests[0]!.authorization, 'Bearer secret-key');
    assert.equal(server.requests[0]!.model, 'judge-1');
    assert.match(server.requests[0]!.messages[1]!.content, /Is the answer helpful\?/);
    await judge.grade(prompt, 'Boil water, add the egg, wait 9 minutes.');
    assert.equal(server.requests.length, 1, 'second identical grade comes from the cache');
  } finally {
    await server.close();
  }
});

test('pairwise: a consistent judge wins with confidence 1 in both orders', async () => {
  const good = 'Boil water, add the egg, wait 9 minutes, cool it.';
  // Always prefers the good answer wherever it is shown.
  await withServer(
    (req) => ({ content: JSON.stringify({ winner: responseShownAs(req, 'A') === good ? 'A' : 'B' }) }),
    async (baseUrl, requests) => {
      const v = await judgeFor(baseUrl).compare(prompt, good, 'Eggs are nice.');
      assert.equal(requests.length, 2, 'asked in both orders');
      assert.deepEqual([v.winner, v.confidence, v.label], ['A', 1, 'consistent']);
      const w = await judgeFor(baseUrl).compare(prompt, 'Eggs are nice.', good);
      assert.deepEqual([w.winner, w.confidence], ['B', 1]);
    },
  );
});

test('pairwise: a position-biased judge flips with the order and is recorded as a low-confidence tie', async () => {
  await withServer(
    () => ({ content: 'Verdict: [[A]]' }),
    async (baseUrl) => {
      const v = await judgeFor(baseUrl).compare(prompt, 'one', 'two');
      assert.deepEqual([v.winner, v.confidence, v.label, v.orders], ['tie', 0, 'order_flip', ['A', 'B']]);
    },
  );
});

test('a malformed answer is a JudgeAnswerError, not retried', async () => {
  await withServer(
    () => ({ content: 'I think it is pretty good overall.' }),
    async (baseUrl, requests) => {
      await assert.rejects(judgeFor(baseUrl).grade(prompt, 'x'), { name: 'JudgeAnswerError' });
      assert.equal(requests.length, 1);
    },
  );
});

test('server errors are retried with backoff, then succeed', async () => {
  await withServer(
    (_req, i) =>
      i < 2 ? { status: i === 0 ? 503 : 429, body: '{"error":"busy"}' } : { content: '{"score": 10}' },
    async (baseUrl, requests) => {
      const r = await judgeFor(baseUrl).grade(prompt, 'x');
      assert.equal(r.score, 1);
      assert.equal(requests.length, 3);
    },
  );
});

test('a 4xx other than 429 is not retried; retries stop at max_retries', async () => {
  await withServer(
    () => ({ status: 400, body: '{"error":"bad request"}' }),
    async (baseUrl, requests) => {
      await assert.rejects(judgeFor(baseUrl).grade(prompt, 'x'), (err: unknown) => {
        assert.ok(err instanceof JudgeRequestError);
        assert.equal(err.status, 400);
        assert.match(err.message, /HTTP 400/);
        return true;
      });
      assert.equal(requests.length, 1);
    },
  );
  await withServer(
    () => ({ status: 500, body: 'oops' }),
    async (baseUrl, requests) => {
      await assert.rejects(judgeFor(baseUrl, 'max_retries: 2').grade(prompt, 'x'), /after 3 attempts/);
      assert.equal(requests.length, 3);
    },
  );
});

test('a slow judge times out (retried as a timeout)', async () => {
  await withServer(
    () => ({ content: '{"score": 5}', delayMs: 2000 }),
    async (baseUrl, requests) => {
      await assert.rejects(
        judgeFor(baseUrl, 'timeout_ms: 100\n      max_retries: 1').grade(prompt, 'x'),
        /did not answer within 100 ms \(after 2 attempts\)/,
      );
      // The attempts are counted by the client (above): on a loaded machine the second one can be aborted
      // before this in-process server has read its body, so the server sees one or two.
      assert.ok(requests.length >= 1 && requests.length <= 2, `${requests.length} requests`);
    },
  );
});

test('Scorer: a judge past the wait cap delivers its score later through the callback', async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  let answerSlow: () => void = () => {};
  const slowMayAnswer = new Promise<void>((r) => (answerSlow = r));
  const server = await startOpenAiServer((req) => ({
    content: '{"score": 9, "explanation": "ok"}',
    waitFor: req.messages[1]!.content.includes('slow answer') ? slowMayAnswer : undefined,
  }));
  try {
    const set = parseRubricFile(`
rubrics:
  - {id: tox, evaluator: toxicity, threshold: 0.3}
  - id: helpful
    evaluator: llm_judge
    threshold: 0.5
    judge: {base_url: ${server.baseUrl}, model: m, criteria: helpful?, max_wait_ms: 1000}
`);
    const metrics = new Metrics();
    const scorer = new Scorer(set, { metrics });
    const fast = syntheticRecord({ prompt, response: 'fast answer', spanId: '1'.repeat(16) });
    const slow = syntheticRecord({ prompt, response: 'slow answer', spanId: '2'.repeat(16) });
    const late: [SpanRecord, EvaluationRecord][] = [];
    const results = await scorer.scoreWithJudges([fast, slow], (r, e) => {
      late.push([r, e]);
      release();
    });
    assert.equal(results[0]!.length, 1);
    assert.deepEqual(
      [results[0]![0]!.rubricId, results[0]![0]!.annotatorKind, results[0]![0]!.score],
      ['helpful', 'LLM', 0.8889],
    );
    assert.equal(results[1]!.length, 0, 'the slow span is sunk without the judge score');
    assert.equal(late.length, 0);
    assert.equal(scorer.judgeDepth, 1, 'the slow request still runs past the cap (the judge-requests gauge)');
    answerSlow();
    await gate;
    assert.equal(late.length, 1);
    assert.equal(late[0]![1].spanId, slow.span.spanId);
    assert.equal(late[0]![1].traceId, slow.span.traceId);
    assert.equal(metrics.get('prefloop_judge_late_total', { rubric: 'helpful' }), 1);
    await scorer.forceFlush();
  } finally {
    await server.close();
  }
});
