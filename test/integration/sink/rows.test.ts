// Rows round-trip through the real embedded engine: ids and nanosecond timestamps come back exact,
// and a retried insert with the same dedup token is stored once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { migrate } from '../../../src/sink/migrate.js';
import { evaluationRow, evaluationRowFromFeedback, feedbackRow, traceRow } from '../../../src/sink/rows.js';
import { evaluationRecord, feedbackRecord, spanRecord } from '../../unit/sink/records.js';

test('rows round-trip exactly and the dedup token makes a retried insert a no-op', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-rows-'));
  const store = new ChdbStore(dir, 'prefloop');
  try {
    await migrate(store);
    const spans = [0, 1, 2].map((i) => spanRecord(i));
    await store.insert('otel_traces', spans.map(traceRow), { dedupToken: 't1' });
    await store.insert('otel_traces', spans.map(traceRow), { dedupToken: 't1' });
    const back = await store.query<Record<string, unknown>>(
      `SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS ts, TraceId, SpanId, SpanKind, StatusCode, Duration,
              SpanAttributes, arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS ets,
              Links.TraceId AS lt, PromptMessages, ResourceAttributes
       FROM otel_traces ORDER BY SpanId`,
    );
    assert.equal(back.length, 3, 'the retried insert with the same token must not store twice');
    for (const [i, row] of back.entries()) {
      const s = spans[i]!.span;
      assert.equal(row.ts, s.startTimeUnixNano.toString());
      assert.equal(row.TraceId, s.traceId);
      assert.equal(row.SpanId, s.spanId);
      assert.equal(String(row.Duration), '987654321');
      assert.deepEqual(
        row.ets,
        s.events.map((e) => e.timeUnixNano.toString()),
      );
      assert.deepEqual(row.lt, ['d'.repeat(32)]);
      assert.deepEqual(JSON.parse(row.PromptMessages as string), spans[i]!.prompt);
      assert.equal((row.SpanAttributes as Record<string, string>)['llm.token_count.prompt'], '12');
    }
    assert.deepEqual(
      back.map((r) => r.SpanKind),
      ['Client', 'Client', 'Client'],
    );
    // The token, not the data hash, decides: the same rows under a new token are a new insert.
    await store.insert('otel_traces', spans.map(traceRow), { dedupToken: 't2' });
    const [count] = await store.query<{ n: string }>('SELECT count() AS n FROM otel_traces');
    assert.equal(count?.n, '6');

    await store.insert('feedback', [feedbackRow(feedbackRecord(3))]);
    await store.insert('evaluations', [
      evaluationRow(evaluationRecord(0)),
      evaluationRowFromFeedback(feedbackRecord(4, 'LLM')),
    ]);
    const fb = await store.query<{ ts: string; FeedbackId: string; Score: number | null }>(
      'SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS ts, FeedbackId, Score FROM feedback',
    );
    assert.deepEqual(fb, [{ ts: '1700000100000000004', FeedbackId: 'fb-HUMAN-3', Score: null }]);
    const ev = await store.query<{ ts: string; Identifier: string; Origin: string; SessionId: string }>(
      'SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS ts, Identifier, Origin, SessionId FROM evaluations ORDER BY Origin',
    );
    assert.deepEqual(ev, [
      { ts: '1700000100000000005', Identifier: 'judge@3', Origin: 'api', SessionId: 'session-0' },
      { ts: '1700000200000000009', Identifier: 'concise@2', Origin: 'prefloop', SessionId: '' },
    ]);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});
