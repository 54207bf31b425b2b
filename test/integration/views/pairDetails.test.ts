// Details a user noticed: one KTO row per prompt and answer, metadata numbers as numbers, feedback that
// matches no span visible (and applied once the span arrives), and a hold-out that is never silently empty.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPairs } from '../../../src/export/exportPairs.js';
import { pairsSummary } from '../../../src/export/pairsSummary.js';
import type { Store } from '../../../src/sink/Store.js';
import { writeRubricPairConfig } from '../../../src/views/rubricPairConfig.js';
import {
  annotate,
  apiFeedback,
  ask,
  hashOf,
  insertFeedback,
  insertScores,
  insertSpans,
  llmSpan,
  pairsOf,
  tempStore,
} from '../../helpers/traces.js';

let store: Store;
let cleanup: () => Promise<void>;
let out: string;
before(async () => {
  ({ store, cleanup } = await tempStore('views-details'));
  out = mkdtempSync(join(tmpdir(), 'prefloop-details-out-'));
});
after(async () => {
  await cleanup();
  rmSync(out, { recursive: true, force: true, maxRetries: 5 });
});

test('kto: the same prompt and answer stored by two spans is one example', async () => {
  const prompt = ask('twice?');
  const spans = [
    annotate(llmSpan({ prompt, response: 'same answer', time: 1 }), { up: true }),
    annotate(llmSpan({ prompt, response: 'same answer', time: 2 }), { up: true }),
    annotate(llmSpan({ prompt, response: 'other answer', time: 3 }), { up: false }),
  ];
  await insertSpans(store, spans);
  const rows = await store.query<{ completion: string; label: boolean }>(
    'SELECT completion, label FROM kto_examples WHERE prompt_hash = {h:String} ORDER BY completion',
    { h: hashOf(spans[0]!) },
  );
  assert.deepEqual(
    rows.map((r) => [r.completion, r.label]),
    [
      ['other answer', false],
      ['same answer', true],
    ],
  );
});

test('metadata numbers are JSON numbers: thumb counts, rubric scores and noise floors', async () => {
  const up = annotate(llmSpan({ prompt: ask('numbers?'), response: 'yes', time: 1 }), { up: true });
  const down = annotate(llmSpan({ prompt: ask('numbers?'), response: 'no', time: 2 }), { up: false });
  await insertSpans(store, [up, down]);
  const [pair] = await pairsOf(store, up);
  const meta = JSON.parse(pair!.metadata).feedback;
  assert.deepEqual(
    [meta.chosen_ups, meta.chosen_downs, meta.rejected_ups, meta.rejected_downs],
    [1, 0, 0, 1],
  );

  // Weighted floors 0.1 and 0.1 average to 0.09999999999999999 in floating point.
  await writeRubricPairConfig(store, [
    { rubricId: 'a', rubricVersion: '1', noiseFloor: 0.1, higherIsBetter: true, weight: 0.7 },
    { rubricId: 'b', rubricVersion: '1', noiseFloor: 0.1, higherIsBetter: true, weight: 0.2 },
  ]);
  const hi = llmSpan({ prompt: ask('floor?'), response: 'hi', time: 1 });
  const lo = llmSpan({ prompt: ask('floor?'), response: 'lo', time: 2 });
  await insertSpans(store, [hi, lo]);
  await insertScores(store, [
    { span: hi, rubricId: 'a', score: 0.9 },
    { span: hi, rubricId: 'b', score: 0.9 },
    { span: lo, rubricId: 'a', score: 0.1 },
    { span: lo, rubricId: 'b', score: 0.1 },
  ]);
  const [rubric] = await pairsOf(store, hi);
  const r = JSON.parse(rubric!.metadata).rubric;
  assert.equal(r.noise_floor, 0.1);
  assert.equal(r.chosen_score, 0.9);
  assert.equal(r.gate, 'unknown');
  await writeRubricPairConfig(store, [], new Date(Date.now() + 1000));
});

test('a rubric that does not apply leaves the others to pair on; answers scored by different rubrics are not compared', async () => {
  await writeRubricPairConfig(
    store,
    [
      { rubricId: 'helpful', rubricVersion: '1', noiseFloor: 0.1, higherIsBetter: true, weight: 1 },
      { rubricId: 'grounded', rubricVersion: '1', noiseFloor: 0.1, higherIsBetter: true, weight: 1 },
    ],
    new Date(Date.now() + 2000),
  );
  // No retrieval context: groundedness gives no result, helpfulness alone orders the answers.
  const good = llmSpan({ prompt: ask('no context?'), response: 'a real answer', time: 1 });
  const bad = llmSpan({ prompt: ask('no context?'), response: 'Dunno.', time: 2 });
  // Same prompt class, but one answer was also scored for groundedness: a different basis, no pair.
  const x = llmSpan({ prompt: ask('mixed basis?'), response: 'x', time: 1 });
  const y = llmSpan({ prompt: ask('mixed basis?'), response: 'y', time: 2 });
  await insertSpans(store, [good, bad, x, y]);
  await insertScores(store, [
    { span: good, rubricId: 'helpful', score: 0.9 },
    { span: bad, rubricId: 'helpful', score: 0.1 },
    { span: x, rubricId: 'helpful', score: 0.9 },
    { span: x, rubricId: 'grounded', score: 0.9 },
    { span: y, rubricId: 'helpful', score: 0.1 },
  ]);
  assert.deepEqual(
    (await pairsOf(store, good)).map((p) => [p.source, p.chosen, p.rejected, p.rubric_versions]),
    [['rubric', 'a real answer', 'Dunno.', ['helpful@1']]],
  );
  assert.deepEqual(await pairsOf(store, x), []);
  await writeRubricPairConfig(store, [], new Date(Date.now() + 3000));
});

test('feedback naming a span not stored yet is visible and counted, then applied when the span arrives', async () => {
  const a = llmSpan({ prompt: ask('early?'), response: 'early good', time: 1 });
  const b = llmSpan({ prompt: ask('early?'), response: 'early bad', time: 2 });
  await insertFeedback(store, [
    apiFeedback({ traceId: a.traceId, spanId: a.spanId, up: true }),
    apiFeedback({ traceId: b.traceId, up: false }),
  ]);
  const unmatched = await store.query<{ SpanId: string; NamedKind: string }>(
    'SELECT SpanId, NamedKind FROM feedback_unmatched WHERE TraceId IN ({t:Array(String)}) ORDER BY NamedKind',
    { t: [a.traceId, b.traceId] },
  );
  assert.deepEqual(
    unmatched.map((u) => u.NamedKind),
    ['span', 'trace'],
  );
  assert.ok((await pairsSummary(store)).unmatchedFeedback! >= 2);
  await insertSpans(store, [a, b]);
  assert.deepEqual(
    (await pairsOf(store, a)).map((p) => [p.chosen, p.rejected]),
    [['early good', 'early bad']],
  );
  const left = await store.query('SELECT * FROM feedback_unmatched WHERE TraceId IN ({t:Array(String)})', {
    t: [a.traceId, b.traceId],
  });
  assert.deepEqual(left, []);
});

test('a hold-out that would come out empty holds out one prompt, and says so with the counts', async () => {
  const r = await exportPairs(store, { format: 'dpo', outDir: join(out, 'small'), holdout: 0.001 });
  const lines = (p: string) => readFileSync(p, 'utf8').split('\n').filter(Boolean);
  const train = lines(r.trainPath);
  const held = lines(r.holdoutPath);
  assert.ok(held.length >= 1 && train.length >= 1, `${train.length} train, ${held.length} hold-out`);
  assert.equal(r.manifest.files.holdout.records, held.length);
  assert.equal(r.manifest.files.train.records, train.length);
  assert.match(
    r.manifest.holdout_note!,
    /held out nothing, so prompt \w+ \(the nearest to the split\) was held out/,
  );
  const prompt = (l: string) => (JSON.parse(l) as { prompt_hash: string }).prompt_hash;
  const trainPrompts = new Set(train.map(prompt));
  assert.ok(
    held.every((l) => !trainPrompts.has(prompt(l))),
    'no prompt in both files',
  );
  const again = await exportPairs(store, { format: 'dpo', outDir: join(out, 'again'), holdout: 0.001 });
  assert.equal(readFileSync(again.holdoutPath, 'utf8'), readFileSync(r.holdoutPath, 'utf8'));
});
