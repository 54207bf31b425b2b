// pairs_feedback / kto_examples / preference_pairs on hand-made traces: the thumbs edge cases.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../../src/sink/Store.js';
import {
  annotate,
  apiFeedback,
  ask,
  hashOf,
  insertFeedback,
  insertSpans,
  linkedFeedbackSpan,
  llmSpan,
  pairsOf,
  tempStore,
} from '../../helpers/traces.js';

let store: Store;
let cleanup: () => Promise<void>;
before(async () => {
  ({ store, cleanup } = await tempStore('views-feedback'));
});
after(async () => {
  await cleanup();
});

function kto(span: { traceId: string }, prompt: string) {
  return store.query<{ completion: string; label: boolean; paired: number; kind: string }>(
    `SELECT completion, label, paired, kind FROM kto_examples
     WHERE prompt = {p:String} ORDER BY completion`,
    { p: JSON.stringify(ask(prompt)) },
  );
}

test('thumbs up and down on two answers to one prompt make one pair, through every feedback route', async () => {
  const up = annotate(llmSpan({ prompt: ask('capital of France?'), response: 'Paris.', time: 1 }), {
    up: true,
  });
  const down = llmSpan({ prompt: ask('capital of France?'), response: 'Lyon.', time: 2 });
  await insertSpans(store, [up, down]);
  // Trace-only API feedback applies to the trace's last LLM span.
  await insertFeedback(store, [apiFeedback({ traceId: down.traceId, label: 'thumbs_down' })]);
  const pairs = await pairsOf(store, up);
  assert.equal(pairs.length, 1);
  const p = pairs[0]!;
  assert.equal(p.chosen, 'Paris.');
  assert.equal(p.rejected, 'Lyon.');
  assert.equal(p.source, 'feedback');
  assert.deepEqual(p.sources, ['feedback']);
  assert.equal(p.chosen_span_id, up.spanId);
  assert.equal(p.rejected_span_id, down.spanId);
  assert.equal(p.margin, 2);
  assert.equal(p.agreement, 1);
  assert.equal(JSON.parse(p.metadata).feedback.annotator_agreement, 1);
  assert.match(p.pair_id, /^[0-9a-f]{32}$/);
});

test('a tie (both up), a single response and an answer without feedback make no pair', async () => {
  const a = annotate(llmSpan({ prompt: ask('tie?'), response: 'one', time: 1 }), { up: true });
  const b = annotate(llmSpan({ prompt: ask('tie?'), response: 'two', time: 2 }), { up: true });
  const single = annotate(llmSpan({ prompt: ask('single?'), response: 'only', time: 1 }), { up: false });
  const judged = annotate(llmSpan({ prompt: ask('missing?'), response: 'rated', time: 1 }), { up: true });
  const unjudged = llmSpan({ prompt: ask('missing?'), response: 'unrated', time: 2 });
  await insertSpans(store, [a, b, single, judged, unjudged]);
  assert.deepEqual(await pairsOf(store, a), []);
  assert.deepEqual(await pairsOf(store, single), []);
  assert.deepEqual(await pairsOf(store, judged), []);
  // Unpaired thumbs are still KTO examples; the answer without feedback is not.
  assert.deepEqual(
    (await kto(single, 'single?')).map((r) => [r.completion, r.label, r.paired]),
    [['only', false, false]],
  );
  assert.deepEqual(
    (await kto(judged, 'missing?')).map((r) => [r.completion, r.label]),
    [['rated', true]],
  );
});

test('late feedback (a linked span long after) and feedback that arrives before its span both land', async () => {
  const good = llmSpan({ prompt: ask('late?'), response: 'good', time: 1 });
  const bad = llmSpan({ prompt: ask('late?'), response: 'bad', time: 2 });
  // Feedback first, for a span id the store has not seen yet.
  await insertFeedback(store, [apiFeedback({ traceId: bad.traceId, spanId: bad.spanId, up: false })]);
  await insertSpans(store, [good, bad]);
  assert.deepEqual(await pairsOf(store, good), []);
  await insertSpans(store, [linkedFeedbackSpan([good], { label: 'good' }, 86_400)]);
  const pairs = await pairsOf(store, good);
  assert.deepEqual(
    pairs.map((p) => [p.chosen, p.rejected]),
    [['good', 'bad']],
  );
});

test('conflicting users: a 1-1 tie decides nothing, a 2-1 majority decides with agreement 2/3', async () => {
  const x = llmSpan({ prompt: ask('conflict?'), response: 'x', time: 1 });
  const y = llmSpan({ prompt: ask('conflict?'), response: 'y', time: 2 });
  await insertSpans(store, [x, y]);
  await insertFeedback(store, [
    apiFeedback({ traceId: x.traceId, spanId: x.spanId, up: true, annotatorId: 'u1' }),
    apiFeedback({ traceId: x.traceId, spanId: x.spanId, up: false, annotatorId: 'u2' }),
    apiFeedback({ traceId: y.traceId, spanId: y.spanId, up: false, annotatorId: 'u1' }),
  ]);
  assert.deepEqual(await pairsOf(store, x), []);
  // A user who changes their mind is one vote (the latest), not two.
  await insertFeedback(store, [
    apiFeedback({ traceId: y.traceId, spanId: y.spanId, up: true, annotatorId: 'u1', time: 100 }),
    apiFeedback({ traceId: y.traceId, spanId: y.spanId, up: false, annotatorId: 'u1', time: 300 }),
  ]);
  assert.deepEqual(await pairsOf(store, x), []);
  await insertFeedback(store, [
    apiFeedback({ traceId: x.traceId, spanId: x.spanId, up: true, annotatorId: 'u3' }),
  ]);
  const pairs = await pairsOf(store, x);
  assert.equal(pairs.length, 1);
  assert.equal(pairs[0]!.chosen, 'x');
  assert.ok(Math.abs(pairs[0]!.agreement! - 2 / 3) < 1e-9);
  assert.ok(Math.abs(pairs[0]!.margin - (1 / 3 + 1)) < 1e-9);
});

test('a retried export (every span and its feedback inserted twice) never doubles a pair', async () => {
  const good = annotate(llmSpan({ prompt: ask('retry?'), response: 'kept', time: 1 }), { up: true });
  const bad = annotate(llmSpan({ prompt: ask('retry?'), response: 'dropped', time: 2 }), { up: false });
  await insertSpans(store, [good, bad]);
  await insertSpans(store, [good, bad]);
  const api = apiFeedback({ traceId: bad.traceId, spanId: bad.spanId, up: false, annotatorId: 'u9' });
  await insertFeedback(store, [api, api]);
  const raw = await store.query<{ n: string }>(
    'SELECT count() AS n FROM otel_traces WHERE SpanId = {s:String}',
    {
      s: good.spanId,
    },
  );
  assert.equal(raw[0]!.n, '2');
  const pairs = await pairsOf(store, good);
  assert.equal(pairs.length, 1);
  assert.equal(pairs[0]!.margin, 2);
  assert.equal((await kto(good, 'retry?')).length, 2);
});

test('a regenerate: thumbs down, then an unrated regenerated answer in the session is the accepted one', async () => {
  const first = annotate(
    llmSpan({ prompt: ask('regen?'), response: 'meh', sessionId: 'sess-regen', time: 1 }),
    { up: false },
  );
  const second = llmSpan({ prompt: ask('regen?'), response: 'better', sessionId: 'sess-regen', time: 5 });
  const onlyOnce = llmSpan({
    prompt: ask('regen-none?'),
    response: 'solo',
    sessionId: 'sess-regen',
    time: 6,
  });
  await insertSpans(store, [first, second, onlyOnce]);
  const pairs = await pairsOf(store, first);
  assert.deepEqual(
    pairs.map((p) => [p.chosen, p.rejected]),
    [['better', 'meh']],
  );
  assert.equal(JSON.parse(pairs[0]!.metadata).feedback.chosen_kind, 'regenerate');
  assert.equal(pairs[0]!.margin, 1.5);
  assert.deepEqual(await pairsOf(store, onlyOnce), []);
});

test('a popular prompt pairs round-robin: max(ups, downs) pairs, every thumbed answer used', async () => {
  const ups = ['u1', 'u2', 'u3'].map((r, i) =>
    annotate(llmSpan({ prompt: ask('popular?'), response: r, time: i }), { up: true }),
  );
  const downs = [annotate(llmSpan({ prompt: ask('popular?'), response: 'd1', time: 9 }), { up: false })];
  await insertSpans(store, [...ups, ...downs]);
  const pairs = await pairsOf(store, ups[0]!);
  assert.deepEqual(
    pairs.map((p) => [p.chosen, p.rejected]),
    [
      ['u1', 'd1'],
      ['u2', 'd1'],
      ['u3', 'd1'],
    ],
  );
  assert.equal(new Set(pairs.map((p) => p.pair_id)).size, 3);
  assert.ok(hashOf(ups[0]!).length > 0);
});
