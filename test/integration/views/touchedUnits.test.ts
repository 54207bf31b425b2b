// Pair maintenance's first step (src/views/maintain/touchedUnits.ts): every finding that rows inserted since a
// watermark change is in a unit touchedUnits names — a prompt hash for feedback, judge and cluster findings, a
// prompt class for rubric and session findings. Each late-arrival case of issue 28 is checked against the
// views themselves: the findings before and after the insert are compared, and every changed unit must be named.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../../src/sink/Store.js';
import { storeNow, touchedUnits } from '../../../src/views/maintain/touchedUnits.js';
import type { TouchedUnits } from '../../../src/views/maintain/touchedUnits.js';
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
  tempStore,
} from '../../helpers/traces.js';

let store: Store;
let cleanup: () => Promise<void>;
before(async () => {
  ({ store, cleanup } = await tempStore('views-touched'));
  await writeRubricPairConfig(store, [
    { rubricId: 'q', rubricVersion: '1', noiseFloor: 0.1, higherIsBetter: true, weight: 1 },
  ]);
});
after(async () => {
  await cleanup();
});

/** Every finding (pairs_all), per source and unit: what a maintained state would hold. */
async function findings(): Promise<Map<string, string>> {
  const rows = await store.query<{ source: string; unit: string; rows: string[] }>(
    `SELECT source, if(source IN ('rubric', 'session'), prompt_class, prompt_hash) AS unit,
       arraySort(groupArray(concat(pair_id, '|', toString(margin), '|', chosen_span_id, '|', rejected_span_id,
         '|', metadata))) AS rows
     FROM pairs_all GROUP BY source, unit`,
  );
  return new Map(rows.map((r) => [`${r.source}\u0000${r.unit}`, JSON.stringify(r.rows)]));
}

/** Runs `insert` between two looks at the findings; asserts every changed unit is touched; returns both. */
async function pass(
  insert: () => Promise<void>,
): Promise<{ touched: TouchedUnits; changed: string[]; after: Map<string, string> }> {
  const before = await findings();
  const since = await storeNow(store);
  await insert();
  const touched = await touchedUnits(store, since);
  const after = await findings();
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
    (k) => before.get(k) !== after.get(k),
  );
  for (const key of changed) {
    const [source, unit] = key.split('\u0000') as [string, string];
    const units = source === 'rubric' || source === 'session' ? touched.promptClasses : touched.promptHashes;
    assert.ok(units.includes(unit), `${source} findings of ${unit} changed but the unit was not touched`);
  }
  return { touched, changed, after };
}

function feedbackPairs(after: Map<string, string>, hash: string): string[] {
  return JSON.parse(after.get(`feedback\u0000${hash}`) ?? '[]') as string[];
}

test('feedback before its span: touches nothing until the span arrives, then the span touches its prompt', async () => {
  const a = llmSpan({ prompt: ask('late span?'), response: 'A', time: 1 });
  const b = llmSpan({ prompt: ask('late span?'), response: 'B', time: 2 });
  const early = await pass(() =>
    insertFeedback(store, [
      apiFeedback({ traceId: a.traceId, spanId: a.spanId, up: true }),
      apiFeedback({ traceId: b.traceId, spanId: b.spanId, up: false }),
    ]),
  );
  assert.deepEqual(early.changed, []);
  assert.ok(!early.touched.promptHashes.includes(hashOf(a)));
  const arrived = await pass(() => insertSpans(store, [a, b]));
  assert.ok(arrived.touched.promptHashes.includes(hashOf(a)));
  assert.equal(feedbackPairs(arrived.after, hashOf(a)).length, 1);
});

test('a thumb changed by the same user touches the prompt, and the pair turns round', async () => {
  const a = llmSpan({ prompt: ask('changed mind?'), response: 'A', time: 1 });
  const b = llmSpan({ prompt: ask('changed mind?'), response: 'B', time: 2 });
  await insertSpans(store, [a, b]);
  const first = await pass(() =>
    insertFeedback(store, [
      apiFeedback({ spanId: a.spanId, up: true, annotatorId: 'u1', time: 10 }),
      apiFeedback({ spanId: b.spanId, up: false, annotatorId: 'u1', time: 10 }),
    ]),
  );
  const [before] = feedbackPairs(first.after, hashOf(a));
  assert.ok(before?.includes(`|${a.spanId}|${b.spanId}|`));
  const changed = await pass(() =>
    insertFeedback(store, [
      apiFeedback({ spanId: a.spanId, up: false, annotatorId: 'u1', time: 20 }),
      apiFeedback({ spanId: b.spanId, up: true, annotatorId: 'u1', time: 20 }),
    ]),
  );
  assert.ok(changed.touched.promptHashes.includes(hashOf(a)));
  const [now] = feedbackPairs(changed.after, hashOf(a));
  assert.ok(now?.includes(`|${b.spanId}|${a.spanId}|`));
});

test('a retried export touches the same prompt and changes no finding', async () => {
  const a = annotate(llmSpan({ prompt: ask('retried?'), response: 'A', time: 1 }), { up: true });
  const b = annotate(llmSpan({ prompt: ask('retried?'), response: 'B', time: 2 }), { up: false });
  await insertSpans(store, [a, b]);
  const retried = await pass(() => insertSpans(store, [a, b]));
  assert.ok(retried.touched.promptHashes.includes(hashOf(a)));
  assert.deepEqual(retried.changed, []);
});

test('a new rubric version: its scores touch the class, its config is a global change', async () => {
  const hi = llmSpan({ prompt: ask('rubric v2?'), response: 'good', time: 1 });
  const lo = llmSpan({ prompt: ask('rubric v2?'), response: 'bad', time: 2 });
  await insertSpans(store, [hi, lo]);
  await pass(() =>
    insertScores(store, [
      { span: hi, rubricId: 'q', score: 0.9 },
      { span: lo, rubricId: 'q', score: 0.1 },
    ]),
  );
  const v2 = await pass(async () => {
    await writeRubricPairConfig(store, [
      { rubricId: 'q', rubricVersion: '2', noiseFloor: 0.1, higherIsBetter: true, weight: 1 },
    ]);
    await insertScores(store, [
      { span: hi, rubricId: 'q', rubricVersion: '2', score: 0.1 },
      { span: lo, rubricId: 'q', rubricVersion: '2', score: 0.9 },
    ]);
  });
  assert.ok(v2.touched.global.includes('rubric_pair_config'));
  assert.ok(v2.touched.promptClasses.includes(hashOf(hi)));
  assert.ok(v2.changed.includes(`rubric\u0000${hashOf(hi)}`));
});

test('a cluster fix replaced touches the exemplar prompt, and a fix span stored late touches it too', async () => {
  const bad = llmSpan({ prompt: ask('cluster fix?'), response: 'no idea', time: 1 });
  const fixSpan = llmSpan({ prompt: ask('a fix written elsewhere'), response: 'a fixed answer', time: 3 });
  await insertSpans(store, [bad]);
  await store.insert('cluster_members', [
    { ClusterId: 'c9', ClusterLabel: 'x', TraceId: bad.traceId, SpanId: bad.spanId, IsExemplar: 1 },
  ]);
  const fixed = await pass(() =>
    store.insert('cluster_fixes', [
      { ClusterId: 'c9', ExemplarSpanId: bad.spanId, FixResponse: 'first fix' },
    ]),
  );
  assert.ok(fixed.changed.includes(`cluster\u0000${hashOf(bad)}`));
  const replaced = await pass(() =>
    store.insert('cluster_fixes', [
      { ClusterId: 'c9', ExemplarSpanId: bad.spanId, FixSpanId: fixSpan.spanId },
    ]),
  );
  assert.ok(replaced.touched.promptHashes.includes(hashOf(bad)));
  // The replacing fix names a span not stored yet: no pair until it arrives, and its arrival touches the exemplar.
  const late = await pass(() => insertSpans(store, [fixSpan]));
  assert.ok(late.changed.includes(`cluster\u0000${hashOf(bad)}`));
});

test('a trace-level thumb moves to a later span of the trace: both prompts are touched', async () => {
  const traceId = 'a'.repeat(32);
  const first = llmSpan({ prompt: ask('first turn?'), response: 'one', traceId, time: 1 });
  const other = annotate(llmSpan({ prompt: ask('first turn?'), response: 'two', time: 2 }), { up: false });
  await insertSpans(store, [first, other]);
  await pass(() => insertFeedback(store, [apiFeedback({ traceId, up: true })]));
  const later = llmSpan({ prompt: ask('second turn?'), response: 'three', traceId, time: 5 });
  const moved = await pass(() => insertSpans(store, [later]));
  assert.ok(moved.touched.promptHashes.includes(hashOf(first)));
  assert.ok(moved.touched.promptHashes.includes(hashOf(later)));
});

test('a judge verdict naming a span stored later: the late span touches its partner prompt', async () => {
  const a = llmSpan({ prompt: ask('judged?'), response: 'A', time: 1 });
  const b = llmSpan({ prompt: ask('judged, other prompt?'), response: 'B', time: 2 });
  await insertSpans(store, [a]);
  await pass(() =>
    store.insert('judge_verdicts', [
      {
        RubricId: 'j',
        RubricVersion: '1',
        SpanIdA: a.spanId,
        SpanIdB: b.spanId,
        Winner: 'a',
        Confidence: 0.8,
        Flipped: 0,
        JudgeModel: 'm',
      },
    ]),
  );
  const late = await pass(() => insertSpans(store, [b]));
  assert.ok(late.changed.includes(`judge\u0000${hashOf(a)}`));
});

test("session-level thumbs arriving after the sessions touch the sessions' opening class", async () => {
  const good = llmSpan({
    prompt: ask('session outcome?'),
    response: 'solved',
    sessionId: 'touch-s1',
    time: 1,
  });
  const bad = llmSpan({ prompt: ask('session outcome?'), response: 'stuck', sessionId: 'touch-s2', time: 2 });
  await insertSpans(store, [good, bad]);
  const outcomes = await pass(() =>
    insertFeedback(store, [
      apiFeedback({ sessionId: 'touch-s1', up: true }),
      apiFeedback({ sessionId: 'touch-s2', up: false }),
    ]),
  );
  assert.ok(outcomes.changed.includes(`session\u0000${hashOf(good)}`));
});

test('an invalid watermark is refused', async () => {
  await assert.rejects(touchedUnits(store, new Date('nope')), /since is not a valid time/);
});
