// The maintained pairs' per-unit feedback rule (src/views/maintain/feedback_findings.sql) gives exactly what
// pair_keys_feedback gives for the same prompt hashes, for all of them at once and for each alone: thumbs from
// several users, a changed thumb, a tie, anonymous thumbs, labels, a regenerate (and a tied last answer that is not one), trace-level thumbs (also one
// landing on another prompt's span), a retried export, round-robin pairing, feedback before its span.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../../src/sink/Store.js';
import { feedbackFindings } from '../../../src/views/maintain/findings.js';
import {
  annotate,
  apiFeedback,
  ask,
  hashOf,
  insertFeedback,
  insertSpans,
  llmSpan,
  tempStore,
} from '../../helpers/traces.js';

let store: Store;
let cleanup: () => Promise<void>;
before(async () => {
  ({ store, cleanup } = await tempStore('views-feedback-findings'));
  const p = (n: string) => ask(`prompt ${n}?`);
  // Plain thumbs, a retried export of the same spans.
  const a1 = annotate(llmSpan({ prompt: p('a'), response: 'A1', time: 1 }), { up: true });
  const a2 = annotate(llmSpan({ prompt: p('a'), response: 'A2', time: 2 }), { up: false });
  await insertSpans(store, [a1, a2]);
  await insertSpans(store, [a1, a2]);
  // Several users: a tie (no thumb), a changed mind, anonymous thumbs, labels.
  const b = [1, 2, 3, 4].map((i) => llmSpan({ prompt: p('b'), response: `B${i}`, time: i }));
  await insertSpans(store, b);
  await insertFeedback(store, [
    apiFeedback({ spanId: b[0]!.spanId, up: true, annotatorId: 'u1', time: 10 }),
    apiFeedback({ spanId: b[0]!.spanId, up: false, annotatorId: 'u2', time: 10 }),
    apiFeedback({ spanId: b[1]!.spanId, up: true, annotatorId: 'u1', time: 10 }),
    apiFeedback({ spanId: b[1]!.spanId, up: false, annotatorId: 'u1', time: 20 }),
    apiFeedback({ spanId: b[2]!.spanId, label: 'good', time: 11 }),
    apiFeedback({ spanId: b[2]!.spanId, label: 'good', time: 12 }),
    apiFeedback({ spanId: b[3]!.spanId, label: 'bad', annotatorId: 'u3', time: 13 }),
  ]);
  // Round robin: three ups, one down.
  const c = [1, 2, 3, 4].map((i) =>
    annotate(llmSpan({ prompt: p('c'), response: `C${i}`, time: i }), { up: i !== 4 }),
  );
  await insertSpans(store, c);
  // A regenerate: thumbs down, then the accepted answer in the same session.
  await insertSpans(store, [
    annotate(llmSpan({ prompt: p('d'), response: 'D1', sessionId: 'regen', time: 1 }), { up: false }),
    llmSpan({ prompt: p('d'), response: 'D2', sessionId: 'regen', time: 2 }),
  ]);
  // Not a regenerate: the last answer has votes of its own (a tie).
  const h2 = llmSpan({ prompt: p('h'), response: 'H2', sessionId: 'regen-tied', time: 2 });
  await insertSpans(store, [
    annotate(llmSpan({ prompt: p('h'), response: 'H1', sessionId: 'regen-tied', time: 1 }), { up: false }),
    h2,
  ]);
  await insertFeedback(store, [
    apiFeedback({ spanId: h2.spanId, up: true, annotatorId: 'u1' }),
    apiFeedback({ spanId: h2.spanId, up: false, annotatorId: 'u2' }),
  ]);
  // Trace-level thumbs: on the trace's last LLM span, which is another prompt's in the second trace.
  const t1 = 'b'.repeat(32);
  const t2 = 'c'.repeat(32);
  await insertSpans(store, [
    llmSpan({ prompt: p('e'), response: 'E1', traceId: t1, time: 1 }),
    llmSpan({ prompt: p('e'), response: 'E2', traceId: t2, time: 1 }),
    llmSpan({ prompt: p('f'), response: 'F1', traceId: t2, time: 5 }),
    annotate(llmSpan({ prompt: p('f'), response: 'F2', time: 6 }), { up: true }),
  ]);
  await insertFeedback(store, [
    apiFeedback({ traceId: t1, up: true }),
    apiFeedback({ traceId: t2, up: false }),
  ]);
  // Feedback before its span, then the span.
  const g1 = llmSpan({ prompt: p('g'), response: 'G1', time: 1 });
  const g2 = annotate(llmSpan({ prompt: p('g'), response: 'G2', time: 2 }), { up: false });
  await insertFeedback(store, [apiFeedback({ traceId: g1.traceId, spanId: g1.spanId, up: true })]);
  await insertSpans(store, [g1, g2]);
  assert.ok(hashOf(g1));
});
after(async () => {
  await cleanup();
});

const canonical = (rows: object[]): string[] => rows.map((r) => JSON.stringify(r)).sort();

async function live(hashes: string[]): Promise<object[]> {
  return store.query('SELECT * FROM pair_keys_feedback WHERE prompt_hash IN {h:Array(String)}', {
    h: hashes,
  });
}

test('all prompts at once: the same rows as pair_keys_feedback', async () => {
  const hashes = (
    await store.query<{ h: string }>('SELECT DISTINCT PromptHash AS h FROM llm_span_index')
  ).map((r) => r.h);
  const expected = await live(hashes);
  assert.ok(expected.length >= 6, `the fixture should give feedback pairs, got ${expected.length}`);
  assert.deepEqual(canonical(await feedbackFindings(store, hashes)), canonical(expected));
});

test('each prompt alone: the same rows as pair_keys_feedback for that prompt', async () => {
  const hashes = (
    await store.query<{ h: string }>('SELECT DISTINCT PromptHash AS h FROM llm_span_index')
  ).map((r) => r.h);
  for (const h of hashes) {
    assert.deepEqual(
      canonical(await feedbackFindings(store, [h])),
      canonical(await live([h])),
      `prompt ${h}`,
    );
  }
  assert.deepEqual(await feedbackFindings(store, []), []);
});
