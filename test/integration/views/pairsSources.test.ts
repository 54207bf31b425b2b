// pairs_rubric / pairs_session / pairs_judge / pairs_cluster, merging and contradictions, on hand-made traces.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedSpan } from '../../../src/records/types.js';
import type { Store } from '../../../src/sink/Store.js';
import { writePairSettings, writeRubricPairConfig } from '../../../src/views/rubricPairConfig.js';
import {
  annotate,
  apiFeedback,
  ask,
  at,
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
before(async () => {
  ({ store, cleanup } = await tempStore('views-sources'));
  await writeRubricPairConfig(store, [
    { rubricId: 'helpful', rubricVersion: '2', noiseFloor: 0.1, higherIsBetter: true, weight: 2 },
    { rubricId: 'toxicity', rubricVersion: '1', noiseFloor: 0.1, higherIsBetter: false, weight: 1 },
    {
      rubricId: 'done',
      rubricVersion: '1',
      noiseFloor: 0,
      higherIsBetter: true,
      weight: 0,
      taskCompletion: true,
    },
  ]);
});
after(async () => {
  await cleanup();
});

function judge(
  a: DecodedSpan,
  b: DecodedSpan,
  winner: string,
  extra: { flipped?: number; confidence?: number } = {},
) {
  return store.insert('judge_verdicts', [
    {
      Timestamp: at(300).toString(),
      RubricId: 'pairwise',
      RubricVersion: '3',
      PromptHash: hashOf(a),
      TraceIdA: a.traceId,
      SpanIdA: a.spanId,
      TraceIdB: b.traceId,
      SpanIdB: b.spanId,
      Winner: winner,
      Confidence: extra.confidence ?? 0.8,
      Flipped: extra.flipped ?? 0,
      Explanation: '',
      JudgeModel: 'judge-1',
    },
  ]);
}

test('rubric pairs: best against worst within a class, only past the noise floor, weights and direction applied', async () => {
  const spans = ['best', 'good', 'close', 'worst'].map((r, i) =>
    llmSpan({ prompt: ask('rubric?'), response: r, time: i }),
  );
  const [best, good, close, worst] = spans as [DecodedSpan, DecodedSpan, DecodedSpan, DecodedSpan];
  // Combined = (2 * helpful - toxicity) / 3.
  await insertSpans(store, spans);
  await insertScores(store, [
    { span: best, rubricId: 'helpful', rubricVersion: '2', score: 0.9 },
    { span: best, rubricId: 'toxicity', score: 0 },
    { span: good, rubricId: 'helpful', rubricVersion: '2', score: 0.6 },
    { span: good, rubricId: 'toxicity', score: 0 },
    { span: close, rubricId: 'helpful', rubricVersion: '2', score: 0.55 },
    { span: close, rubricId: 'toxicity', score: 0 },
    { span: worst, rubricId: 'helpful', rubricVersion: '2', score: 0.2 },
    { span: worst, rubricId: 'toxicity', score: 0.9 },
  ]);
  const pairs = await pairsOf(store, best);
  // best–worst pairs (gap far past 0.1); good–close gap 0.033 is noise.
  assert.deepEqual(
    pairs.map((p) => [p.source, p.chosen, p.rejected]),
    [['rubric', 'best', 'worst']],
  );
  const p = pairs[0]!;
  assert.ok(Math.abs(p.margin - ((2 * 0.9 - 0) / 3 - (2 * 0.2 - 0.9) / 3)) < 1e-9);
  assert.deepEqual(p.rubric_versions, ['helpful@2', 'toxicity@1']);
  assert.equal(JSON.parse(p.metadata).rubric.chosen_scores.helpful, 0.9);
});

test('rubric: a score from another rubric version, a missing rubric, or a single answer makes no pair', async () => {
  const a = llmSpan({ prompt: ask('rubric-version?'), response: 'a', time: 1 });
  const b = llmSpan({ prompt: ask('rubric-version?'), response: 'b', time: 2 });
  const lone = llmSpan({ prompt: ask('rubric-lone?'), response: 'lone', time: 1 });
  await insertSpans(store, [a, b, lone]);
  await insertScores(store, [
    { span: a, rubricId: 'helpful', rubricVersion: '1', score: 1 },
    { span: a, rubricId: 'toxicity', score: 0 },
    { span: b, rubricId: 'helpful', rubricVersion: '2', score: 0 },
    { span: b, rubricId: 'toxicity', score: 1 },
    { span: lone, rubricId: 'helpful', rubricVersion: '2', score: 1 },
    { span: lone, rubricId: 'toxicity', score: 0 },
  ]);
  assert.deepEqual(await pairsOf(store, a), []);
  assert.deepEqual(await pairsOf(store, lone), []);
});

test('session pairs: resolved against unresolved sessions of one prompt class, by feedback, attribute or rubric', async () => {
  await writePairSettings(store, { sessionOutcomeAttribute: 'app.outcome' });
  const open = (s: string, r: string, t: number, attrs?: Record<string, string>) =>
    llmSpan({ prompt: ask('book a flight'), response: r, sessionId: s, time: t, attributes: attrs });
  const s1 = open('s1', 'which date?', 1);
  const s2 = open('s2', 'cannot help', 2);
  const s3 = open('s3', 'sure, where to?', 3, { 'app.outcome': 'resolved' });
  const s4 = open('s4', 'try later', 4);
  const s5 = open('s5', 'no outcome', 5);
  await insertSpans(store, [s1, s2, s3, s4, s5]);
  await insertFeedback(store, [
    apiFeedback({ sessionId: 's1', up: true }),
    apiFeedback({ sessionId: 's2', up: false }),
  ]);
  await insertScores(store, [{ span: s4, rubricId: 'done', score: 0.2 }]);
  const pairs = (await pairsOf(store, s1)).filter((p) => p.source === 'session');
  assert.deepEqual(
    pairs.map((p) => [p.chosen, p.rejected]),
    [
      ['sure, where to?', 'try later'],
      ['which date?', 'cannot help'],
    ],
  );
  const meta = JSON.parse(pairs[1]!.metadata).session;
  assert.deepEqual([meta.chosen_session_id, meta.chosen_resolved_by], ['s1', 'feedback']);
});

test('judge pairs: the winner is chosen; a tie or a flipped verdict is no pair', async () => {
  const a = llmSpan({ prompt: ask('judge?'), response: 'A', time: 1 });
  const b = llmSpan({ prompt: ask('judge?'), response: 'B', time: 2 });
  const c = llmSpan({ prompt: ask('judge-tie?'), response: 'C', time: 1 });
  const d = llmSpan({ prompt: ask('judge-tie?'), response: 'D', time: 2 });
  await insertSpans(store, [a, b, c, d]);
  await judge(a, b, 'B', { confidence: 0.9 });
  await judge(c, d, 'tie');
  await judge(d, c, 'A', { flipped: 1 });
  const pairs = await pairsOf(store, a);
  assert.deepEqual(
    pairs.map((p) => [p.source, p.chosen, p.rejected, p.margin]),
    [['judge', 'B', 'A', 0.9]],
  );
  assert.deepEqual(pairs[0]!.rubric_versions, ['pairwise@3']);
  assert.deepEqual(await pairsOf(store, c), []);
});

test('cluster pairs: the fix is chosen over the exemplar, written by hand or taken from a span', async () => {
  const bad = llmSpan({ prompt: ask('refund?'), response: 'no idea', time: 1 });
  const other = llmSpan({ prompt: ask('refund?'), response: 'ask someone', time: 2 });
  const fixSpan = llmSpan({ prompt: ask('refund policy?'), response: 'Refunds take 5 days.', time: 3 });
  const stray = llmSpan({ prompt: ask('stray?'), response: 'not a member', time: 3 });
  await insertSpans(store, [bad, other, fixSpan, stray]);
  await store.insert('cluster_members', [
    {
      ClusterId: 'c1',
      ClusterLabel: 'refund confusion',
      TraceId: bad.traceId,
      SpanId: bad.spanId,
      IsExemplar: 1,
    },
    {
      ClusterId: 'c1',
      ClusterLabel: 'refund confusion',
      TraceId: other.traceId,
      SpanId: other.spanId,
      IsExemplar: 1,
    },
  ]);
  await store.insert('cluster_fixes', [
    { ClusterId: 'c1', ExemplarSpanId: bad.spanId, FixResponse: 'Refunds are in Settings.', FixedBy: 'ana' },
    { ClusterId: 'c1', ExemplarSpanId: other.spanId, FixSpanId: fixSpan.spanId },
    // Not a member of c1: ignored.
    { ClusterId: 'c1', ExemplarSpanId: stray.spanId, FixResponse: 'x' },
  ]);
  const pairs = await pairsOf(store, bad);
  assert.deepEqual(
    pairs.map((p) => [p.source, p.chosen, p.rejected, p.chosen_span_id]),
    [
      ['cluster', 'Refunds are in Settings.', 'no idea', ''],
      ['cluster', 'Refunds take 5 days.', 'ask someone', fixSpan.spanId],
    ],
  );
  assert.equal(JSON.parse(pairs[0]!.metadata).cluster.cluster_label, 'refund confusion');
  assert.deepEqual(await pairsOf(store, stray), []);
});

test('two sources agreeing give one pair listing both; a lower source disagreeing is overridden and counted', async () => {
  const x = annotate(llmSpan({ prompt: ask('merge?'), response: 'X', time: 1 }), { up: true });
  const y = annotate(llmSpan({ prompt: ask('merge?'), response: 'Y', time: 2 }), { up: false });
  const p = annotate(llmSpan({ prompt: ask('contra?'), response: 'P', time: 1 }), { up: true });
  const q = annotate(llmSpan({ prompt: ask('contra?'), response: 'Q', time: 2 }), { up: false });
  await insertSpans(store, [x, y, p, q]);
  await judge(x, y, 'A', { confidence: 0.7 });
  await judge(p, q, 'B');
  const merged = await pairsOf(store, x);
  assert.equal(merged.length, 1);
  assert.equal(merged[0]!.source, 'feedback');
  assert.deepEqual(merged[0]!.sources, ['feedback', 'judge']);
  const meta = JSON.parse(merged[0]!.metadata);
  assert.equal(meta.judge.judge_confidence, 0.7);
  assert.equal(meta.feedback.annotator_agreement, 1);
  // Humans are never overridden: the feedback pair stays, the judge's opposite verdict is left out.
  assert.deepEqual(
    (await pairsOf(store, p)).map((r) => [r.source, r.sources, r.chosen, r.rejected]),
    [['feedback', ['feedback'], 'P', 'Q']],
  );
  const contra = await store.query<{ sources_one_way: string[]; sources_other_way: string[] }>(
    'SELECT sources_one_way, sources_other_way FROM pair_contradictions WHERE any_prompt_hash = {h:String}',
    { h: hashOf(p) },
  );
  assert.equal(contra.length, 1);
  assert.deepEqual([...contra[0]!.sources_one_way, ...contra[0]!.sources_other_way].sort(), [
    'feedback',
    'judge',
  ]);
});

test('a new rubric generation replaces the old: a rubric dropped from the file stops pairing', async () => {
  const before = await store.query<{ n: string }>(
    "SELECT count() AS n FROM preference_pairs WHERE source = 'rubric'",
  );
  assert.ok(Number(before[0]!.n) > 0);
  await writeRubricPairConfig(store, [], new Date(Date.now() + 1000));
  const afterDrop = await store.query<{ n: string }>(
    "SELECT count() AS n FROM preference_pairs WHERE has(sources, 'rubric')",
  );
  assert.equal(afterDrop[0]!.n, '0');
  await assert.rejects(
    writeRubricPairConfig(store, [
      { rubricId: 'x', rubricVersion: '1', noiseFloor: -1, higherIsBetter: true, weight: 1 },
    ]),
    /noiseFloor must be a number >= 0/,
  );
});
