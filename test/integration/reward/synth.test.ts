// `prefloop synth` against real local OpenAI-compatible model and judge servers, on the real engine: a consistent
// verdict becomes a judge pair marked synthetic, a verdict that flips with the order and a tie give none, identical
// answers are not judged; a second run reuses every answer and verdict; export leaves synthetic pairs out unless
// asked; an unreachable endpoint is named.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPairs } from '../../../src/export/exportPairs.js';
import { runSynth, type SynthResult } from '../../../src/reward/synth/runSynth.js';
import { parseSynthPrompts } from '../../../src/reward/synth/synthPrompts.js';
import type { Store } from '../../../src/sink/Store.js';
import { startOpenAiServer, type OpenAiServer } from '../../helpers/openaiServer.js';
import { annotate, ask, insertSpans, llmSpan, tempStore } from '../../helpers/traces.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-synth-'));
let store: Store;
let cleanup: () => Promise<void>;
let model: OpenAiServer;
let judge: OpenAiServer;
const asked = new Map<string, number>();

before(async () => {
  model = await startOpenAiServer((req) => {
    const prompt = req.messages.at(-1)!.content;
    const n = asked.get(prompt) ?? 0;
    asked.set(prompt, n + 1);
    if (prompt.includes('same')) return { content: 'The one answer this model gives.' };
    return { content: `${n % 2 === 0 ? 'good' : 'bad'} answer ${n} to: ${prompt}` };
  });
  judge = await startOpenAiServer((req) => {
    const text = req.messages.at(-1)!.content;
    const a = /## Response A\n([\s\S]*?)\n\n## Response B\n/.exec(text)![1]!;
    if (text.includes('position bias')) return { content: '{"winner": "A", "explanation": "first is best"}' };
    if (text.includes('undecided')) return { content: '{"winner": "tie", "explanation": "equal"}' };
    return {
      content: JSON.stringify({ winner: a.startsWith('good') ? 'A' : 'B', explanation: 'good wins' }),
    };
  });
  ({ store, cleanup } = await tempStore('synth'));
});

after(async () => {
  await model.close();
  await judge.close();
  await cleanup();
  rmSync(root, { recursive: true, force: true, maxRetries: 5 });
});

const promptsFile = join(root, 'prompts.jsonl');
writeFileSync(
  promptsFile,
  [
    JSON.stringify({ prompt: 'How do I reset my password?' }),
    JSON.stringify({ prompt: [{ role: 'user', content: 'Please answer with position bias in mind.' }] }),
    'An undecided question, as plain text',
    JSON.stringify('Give the same answer twice'),
    '',
  ].join('\n'),
);

const synth = (): Promise<SynthResult> =>
  runSynth({
    prompts: parseSynthPrompts(readFileSync(promptsFile, 'utf8'), 'prompts.jsonl'),
    model: { baseUrl: model.baseUrl, model: 'policy-1' },
    judge: { baseUrl: judge.baseUrl, model: 'judge-1' },
    store,
  });

const query = <T>(sql: string): Promise<T[]> => store.query<T>(sql);

test('pairs, ties, flips and identical answers; stored as synthetic judge pairs', async () => {
  const result = await synth();
  assert.equal(result.prompts, 4);
  assert.equal(result.answers.generated, 8);
  assert.equal(result.verdicts.judged, 3, 'identical answers are not judged');
  assert.equal(judge.requests.length, 6, 'each verdict asked in both orders');
  assert.deepEqual([result.pairs.length, result.ties, result.flips, result.identical], [1, 1, 1, 1]);
  assert.match(result.pairs[0]!.chosen, /^good answer/);
  assert.match(result.pairs[0]!.rejected, /^bad answer/);
  assert.equal(result.pairs[0]!.confidence, 1);

  const pairs = await query<{ source: string; chosen: string; metadata: string }>(
    "SELECT source, chosen, metadata FROM preference_pairs WHERE source = 'judge'",
  );
  assert.equal(pairs.length, 1);
  const meta = JSON.parse(pairs[0]!.metadata) as { judge?: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  const judged = (meta.judge ?? meta) as Record<string, unknown>;
  assert.equal(judged.synthetic, true);
  assert.equal(judged.gate, 'synthetic');
  const verdicts = await query<{ n: string; synthetic: string; flipped: string }>(
    'SELECT count() AS n, sum(Synthetic) AS synthetic, sum(Flipped) AS flipped FROM judge_verdicts',
  );
  assert.deepEqual([verdicts[0]!.n, verdicts[0]!.synthetic, verdicts[0]!.flipped].map(Number), [3, 3, 1]);
  const spans = await query<{ ServiceName: string; n: string; marked: string }>(
    "SELECT ServiceName, count() AS n, countIf(SpanAttributes['prefloop.synthetic'] = 'true') AS marked FROM otel_traces GROUP BY ServiceName",
  );
  assert.deepEqual(
    spans.map((s) => [s.ServiceName, Number(s.n), Number(s.marked)]),
    [['prefloop-synth', 8, 8]],
  );
  const evaluations = await query<{ n: string }>('SELECT count() AS n FROM evaluations');
  assert.equal(
    Number(evaluations[0]!.n),
    0,
    'synthetic answers are not rubric-scored (no unmarked rubric pairs)',
  );
});

test('a second run reuses every answer and verdict: no model or judge call', async () => {
  const [m, j] = [model.requests.length, judge.requests.length];
  const result = await synth();
  assert.deepEqual(result.answers, { generated: 0, reused: 8 });
  assert.deepEqual(result.verdicts, { judged: 0, reused: 3 });
  assert.equal(result.pairs.length, 1);
  assert.deepEqual([model.requests.length, judge.requests.length], [m, j]);
});

test('export leaves synthetic pairs out unless asked', async () => {
  const plain = await exportPairs(store, { format: 'dpo', outDir: join(root, 'x1') });
  assert.equal(plain.manifest.records, 0);
  assert.deepEqual(plain.manifest.synthetic, { include_synthetic: false, left_out: 1, included: 0 });
  assert.equal(plain.manifest.rubric_gate?.left_out, 0, 'not counted as an ungated judge pair');
  const ungated = await exportPairs(store, { format: 'dpo', outDir: join(root, 'x3'), includeUngated: true });
  assert.equal(ungated.manifest.records, 0, '--include-ungated does not take synthetic pairs');
  const asked = await exportPairs(store, { format: 'dpo', outDir: join(root, 'x2'), includeSynthetic: true });
  assert.equal(asked.manifest.records, 1);
  const [line] = [asked.trainPath, asked.holdoutPath]
    .map((f) => readFileSync(f, 'utf8'))
    .join('')
    .split('\n');
  const row = JSON.parse(line!) as { metadata: { synthetic?: boolean; judge?: { synthetic?: boolean } } };
  assert.equal(row.metadata.judge?.synthetic ?? row.metadata.synthetic, true);
  const share = await exportPairs(store, { format: 'dpo', outDir: join(root, 'x4'), syntheticShare: 0.5 });
  assert.equal(share.manifest.records, 0, 'a share of no production pairs is none');
  assert.deepEqual(share.manifest.synthetic, {
    include_synthetic: false,
    share: 0.5,
    left_out: 1,
    included: 0,
  });
});

test('--synthetic-share mixes synthetic pairs in as a share of the production pairs exported', async () => {
  const spans = [0, 1].flatMap((i) => [
    annotate(llmSpan({ prompt: ask(`production question ${i}`), response: `helpful ${i}`, time: i }), {
      up: true,
    }),
    annotate(llmSpan({ prompt: ask(`production question ${i}`), response: `unhelpful ${i}`, time: i }), {
      up: false,
    }),
  ]);
  await insertSpans(store, spans);
  const mixed = await exportPairs(store, { format: 'dpo', outDir: join(root, 'x5'), syntheticShare: 0.5 });
  assert.equal(mixed.manifest.records, 3, 'two production pairs and the one synthetic pair (at most half)');
  assert.deepEqual(mixed.manifest.synthetic, {
    include_synthetic: false,
    share: 0.5,
    left_out: 0,
    included: 1,
  });
  const third = await exportPairs(store, { format: 'dpo', outDir: join(root, 'x6'), syntheticShare: 0.25 });
  assert.equal(third.manifest.records, 2, 'one synthetic pair would be a third, over a quarter: none');
});
