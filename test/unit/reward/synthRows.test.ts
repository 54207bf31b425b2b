// synth's pure parts: the prompt file reader (every bad line named), ids derived from model, prompt and index
// (the cache), the span marked synthetic, the verdict row; and the reward export's row format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReward } from '../../../src/export/rewardFormat.js';
import { SYNTH } from '../../../src/names.js';
import { runSynth } from '../../../src/reward/synth/runSynth.js';
import { parseSynthPrompts, SynthPromptsError } from '../../../src/reward/synth/synthPrompts.js';
import { synthIds, synthSpan, synthTraceRow, verdictRow } from '../../../src/reward/synth/synthRows.js';

test('prompt file: objects, messages, JSON strings and plain lines; duplicates once; bad lines listed', () => {
  const prompts = parseSynthPrompts(
    [
      '{"prompt": "one"}',
      '{"prompt": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "two"}], "chosen": "x"}',
      '"three"',
      'four, as text',
      '',
      '{"prompt": "one"}',
    ].join('\n'),
    'p.jsonl',
  );
  assert.deepEqual(
    prompts.map((p) => p.at(-1)!.content),
    ['one', 'two', 'three', 'four, as text'],
  );
  assert.equal(prompts[1]!.length, 2);
  assert.throws(
    () => parseSynthPrompts('{"prompt": ""}\nok\n{"prompt": [{"role": "user"}]}\n{bad', 'f'),
    (err: unknown) =>
      err instanceof SynthPromptsError &&
      err.problems.length === 3 &&
      err.problems[0]!.startsWith('f:1:') &&
      err.problems[1]!.startsWith('f:3:') &&
      err.problems[2]!.startsWith('f:4: not JSON'),
  );
  assert.throws(() => parseSynthPrompts('\n\n', 'empty'), /no prompts in empty/);
});

test('ids depend on model, prompt and index only; the span is an LLM span marked synthetic', () => {
  const prompt = [{ role: 'user', content: 'q' }];
  const a = synthIds('m', prompt, 0);
  assert.deepEqual(synthIds('m', prompt, 0), a);
  assert.equal(synthIds('m', prompt, 1).traceId, a.traceId, 'one trace per prompt and model');
  assert.notEqual(synthIds('m', prompt, 1).spanId, a.spanId);
  assert.notEqual(synthIds('other', prompt, 0).spanId, a.spanId);
  assert.match(a.traceId, /^[0-9a-f]{32}$/);
  assert.match(a.spanId, /^[0-9a-f]{16}$/);
  const answer = { model: 'm', prompt, index: 0, text: 'answer', timeUnixNano: 5n };
  const span = synthSpan(answer);
  assert.equal(span.attributes[SYNTH.syntheticAttribute], true);
  assert.equal(span.resource['service.name'], SYNTH.serviceName);
  const { row, promptHash } = synthTraceRow(answer);
  assert.notEqual(promptHash, '');
  assert.equal(row.ServiceName, SYNTH.serviceName);
  assert.equal(row.SpanId, a.spanId);
});

test('verdict rows: winner lower-cased, flips and the synthetic mark', () => {
  const row = verdictRow({
    rubricVersion: 'synth-1',
    promptHash: 'h',
    a: { traceId: 't', spanId: 'a' },
    b: { traceId: 't', spanId: 'b' },
    winner: 'B',
    confidence: 1,
    flipped: false,
    explanation: 'e',
    judgeModel: 'j',
    timeUnixNano: 7n,
  });
  assert.deepEqual(
    [row.RubricId, row.Winner, row.Flipped, row.Synthetic, row.Timestamp],
    [SYNTH.rubricId, 'b', 0, 1, '7'],
  );
});

test('reward rows: prompt as text, scores as an object, a missing reward as 0', () => {
  const out = formatReward({
    span_id: 's',
    prompt_hash: 'h',
    prompt_class: '',
    prompt: JSON.stringify([{ role: 'user', content: 'hi' }]),
    completion: 'hello',
    reward: null,
    scores: '{"toxicity":0}',
    reward_rubrics: [],
    rubric_versions: ['toxicity@1'],
    created_ms: '0',
  });
  assert.deepEqual(Object.keys(out).slice(0, 4), ['prompt', 'completion', 'reward', 'scores']);
  assert.equal(out.prompt, '\n\nHuman: hi\n\nAssistant:');
  assert.equal(out.reward, 0);
  assert.deepEqual(out.scores, { toxicity: 0 });
  assert.deepEqual(out.reward_rubrics, [], 'a 0 no rubric combined into says so');
  assert.throws(
    () => formatReward({ span_id: 'x', scores: '{' } as Parameters<typeof formatReward>[0]),
    /scores of span x/,
  );
});

test('runSynth refuses no prompts and fewer than two answers before calling anything', async () => {
  const endpoint = { baseUrl: 'http://127.0.0.1:9/v1', model: 'm' };
  await assert.rejects(runSynth({ prompts: [], model: endpoint, judge: endpoint }), /no prompts to answer/);
  await assert.rejects(
    runSynth({
      prompts: [[{ role: 'user', content: 'hi' }]],
      model: endpoint,
      judge: endpoint,
      nPerPrompt: 1,
    }),
    /nPerPrompt must be a whole number >= 2/,
  );
});
