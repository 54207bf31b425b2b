// A maintenance pass (src/views/maintain/maintainPairs.ts) keeps pair_groups_state equal to the live pair_groups
// view, row for row, through every late-arrival case of issue 28 — feedback before its span, a thumb changed by
// the same user, a retried export, a new rubric version, a cluster fix replaced — and through verdicts before
// their spans, session outcomes, a trace-level thumb moving, and a source overriding another. Each step inserts,
// runs one incremental pass, and compares; a full rebuild at the end gives the same state.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../../src/sink/Store.js';
import { maintainPairs } from '../../../src/views/maintain/maintainPairs.js';
import { writeRubricPairConfig } from '../../../src/views/rubricPairConfig.js';
import {
  annotate,
  apiFeedback,
  ask,
  insertFeedback,
  insertScores,
  insertSpans,
  llmSpan,
  tempStore,
} from '../../helpers/traces.js';

let store: Store;
let cleanup: () => Promise<void>;
before(async () => {
  ({ store, cleanup } = await tempStore('views-maintain'));
  await writeRubricPairConfig(store, [
    { rubricId: 'q', rubricVersion: '1', noiseFloor: 0.1, higherIsBetter: true, weight: 1 },
  ]);
});
after(async () => {
  await cleanup();
});

const COLUMNS = `pair_id, undirected_id, source, sources, margin, prompt_class, prompt_hash, prompt_span_id,
  chosen_span_id, rejected_span_id, fix_response, created, agreement, metadata, rubric_versions, rubric_gate,
  contradiction, overridden_sources, sources_one_way, sources_other_way, span_ids_preferred, findings, evidence`;

async function assertStateIsLive(step: string): Promise<number> {
  const canonical = (rows: object[]) => rows.map((r) => JSON.stringify(r)).sort();
  const live = await store.query(`SELECT ${COLUMNS} FROM pair_groups`);
  const state = await store.query(`SELECT ${COLUMNS} FROM pair_groups_state FINAL`);
  assert.deepEqual(canonical(state), canonical(live), `after ${step}`);
  return live.length;
}

async function step(name: string, insert: () => Promise<unknown>): Promise<number> {
  await insert();
  // No re-read window: each pass looks only at this step's rows (sequential inserts, one clock).
  const result = await maintainPairs(store, { rereadMs: 0 });
  assert.equal(result.full, name === 'first pass' || name === 'a new rubric version', `${name}: full pass`);
  return assertStateIsLive(name);
}

test('the state follows the live pairs through late arrivals, one incremental pass after each insert', async () => {
  assert.equal(await step('first pass', async () => {}), 0);

  const a = llmSpan({ prompt: ask('late span?'), response: 'A', time: 1 });
  const b = llmSpan({ prompt: ask('late span?'), response: 'B', time: 2 });
  await step('feedback before its span', () =>
    insertFeedback(store, [
      apiFeedback({ traceId: a.traceId, spanId: a.spanId, up: true, annotatorId: 'u1', time: 10 }),
      apiFeedback({ traceId: b.traceId, spanId: b.spanId, up: false, annotatorId: 'u1', time: 10 }),
    ]),
  );
  assert.equal(await step('its span arriving', () => insertSpans(store, [a, b])), 1);
  await step('a thumb changed by the same user', () =>
    insertFeedback(store, [
      apiFeedback({ spanId: a.spanId, up: false, annotatorId: 'u1', time: 20 }),
      apiFeedback({ spanId: b.spanId, up: true, annotatorId: 'u1', time: 20 }),
    ]),
  );
  await step('a retried export', () => insertSpans(store, [a, b]));

  const hi = llmSpan({ prompt: ask('rubric?'), response: 'good', time: 1 });
  const lo = llmSpan({ prompt: ask('rubric?'), response: 'bad', time: 2 });
  await step('rubric scores', async () => {
    await insertSpans(store, [hi, lo]);
    await insertScores(store, [
      { span: hi, rubricId: 'q', score: 0.9 },
      { span: lo, rubricId: 'q', score: 0.1 },
    ]);
  });
  await step('a new rubric version', async () => {
    await writeRubricPairConfig(store, [
      { rubricId: 'q', rubricVersion: '2', noiseFloor: 0.1, higherIsBetter: true, weight: 1 },
    ]);
    await insertScores(store, [
      { span: hi, rubricId: 'q', rubricVersion: '2', score: 0.1 },
      { span: lo, rubricId: 'q', rubricVersion: '2', score: 0.9 },
    ]);
  });
  // A feedback pair over the same two answers: feedback overrides the rubric, counted as a contradiction.
  await step('a source overriding another', () =>
    insertFeedback(store, [
      apiFeedback({ spanId: hi.spanId, up: true, time: 30 }),
      apiFeedback({ spanId: lo.spanId, up: false, time: 30 }),
    ]),
  );

  const bad = llmSpan({ prompt: ask('cluster?'), response: 'no idea', time: 1 });
  const fixSpan = llmSpan({ prompt: ask('written elsewhere'), response: 'a fixed answer', time: 3 });
  await step('a cluster fix', async () => {
    await insertSpans(store, [bad]);
    await store.insert('cluster_members', [
      { ClusterId: 'c1', ClusterLabel: 'x', TraceId: bad.traceId, SpanId: bad.spanId, IsExemplar: 1 },
    ]);
    await store.insert('cluster_fixes', [
      { ClusterId: 'c1', ExemplarSpanId: bad.spanId, FixResponse: 'first' },
    ]);
  });
  await step('the fix replaced by one naming a span not stored yet', () =>
    store.insert('cluster_fixes', [
      { ClusterId: 'c1', ExemplarSpanId: bad.spanId, FixSpanId: fixSpan.spanId },
    ]),
  );
  await step('the fix span arriving', () => insertSpans(store, [fixSpan]));

  const j1 = llmSpan({ prompt: ask('judged?'), response: 'J1', time: 1 });
  const j2 = llmSpan({ prompt: ask('judged?'), response: 'J2', time: 2 });
  await step('a verdict before its spans', async () => {
    await insertSpans(store, [j1]);
    await store.insert('judge_verdicts', [
      {
        RubricId: 'j',
        RubricVersion: '1',
        SpanIdA: j1.spanId,
        SpanIdB: j2.spanId,
        Winner: 'b',
        Confidence: 0.8,
        Flipped: 0,
        JudgeModel: 'm',
      },
    ]);
  });
  await step('the other span arriving', () => insertSpans(store, [j2]));

  const open = (s: string, response: string, t: number) =>
    llmSpan({ prompt: ask('book a flight'), response, sessionId: s, time: t });
  await step('sessions, then their outcomes', async () => {
    await insertSpans(store, [open('m1', 'sure', 1), open('m2', 'no', 2)]);
    await insertFeedback(store, [
      apiFeedback({ sessionId: 'm1', up: true }),
      apiFeedback({ sessionId: 'm2', up: false }),
    ]);
  });

  const traceId = 'd'.repeat(32);
  const first = llmSpan({ prompt: ask('first turn?'), response: 'one', traceId, time: 1 });
  const other = annotate(llmSpan({ prompt: ask('first turn?'), response: 'two', time: 2 }), { up: false });
  await step('a trace-level thumb', async () => {
    await insertSpans(store, [first, other]);
    await insertFeedback(store, [apiFeedback({ traceId, up: true })]);
  });
  const pairs = await step('a later span of the trace taking the thumb', () =>
    insertSpans(store, [llmSpan({ prompt: ask('second turn?'), response: 'three', traceId, time: 5 })]),
  );
  assert.ok(pairs >= 5, `the steps should leave several pairs, got ${pairs}`);

  const rebuilt = await maintainPairs(store, { full: true });
  assert.equal(rebuilt.full, true);
  await assertStateIsLive('a full rebuild');
  const quiet = await maintainPairs(store, { rereadMs: 0 });
  assert.equal(quiet.full, false);
  await assertStateIsLive('a pass with nothing new');
});
