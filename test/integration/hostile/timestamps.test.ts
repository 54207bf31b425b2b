// Timestamps at the edges of uint64 (0 = unset, a few nanoseconds, past DateTime64(9)'s year 2262) are odd
// but valid OTLP: each span is stored with its own instant, and one odd span never costs its batch-mates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TABLES } from '../../../src/names.js';
import { goodSpan, storeOf } from './harness.js';

const INT64_MAX = 9_223_372_036_854_775_807n;

test('zero, tiny and out-of-range timestamps are stored exactly or clamped, never dropping a batch', async () => {
  const cases: [string, bigint, bigint][] = [
    ['zero', 0n, 0n],
    ['five-ns', 5n, 7n],
    ['seconds-looking', 123_456_789n, 123_456_790n],
    ['year-2262+', 2n ** 64n - 1n, 2n ** 64n - 1n],
    ['normal', 1_700_000_000_123_456_789n, 1_700_000_001_000_000_000n],
  ];
  const spans = cases.map(([name, start, end]) =>
    goodSpan({
      name,
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      events: [
        {
          timeUnixNano: start,
          name: 'gen_ai.evaluation.result',
          attributes: [
            ['gen_ai.evaluation.name', 'user_feedback'],
            ['gen_ai.evaluation.score.label', 'thumbs_up'],
          ],
        },
      ],
    }),
  );
  await storeOf(spans, async (store) => {
    const rows = await store.query<{ SpanName: string; ns: string; event: string; feedback: string }>(
      `SELECT t.SpanName AS SpanName, toString(toUnixTimestamp64Nano(t.Timestamp)) AS ns,
              toString(toUnixTimestamp64Nano(t.\`Events.Timestamp\`[1])) AS event,
              toString(toUnixTimestamp64Nano(f.Timestamp)) AS feedback
       FROM ${TABLES.traces} AS t LEFT JOIN ${TABLES.feedback} AS f ON f.SpanId = t.SpanId
       ORDER BY SpanName`,
    );
    const clamp = (n: bigint) => (n > INT64_MAX ? INT64_MAX : n).toString();
    assert.deepEqual(
      rows,
      cases
        .map(([name, start]) => ({
          SpanName: name,
          ns: clamp(start),
          event: clamp(start),
          feedback: clamp(start),
        }))
        .sort((a, b) => (a.SpanName < b.SpanName ? -1 : 1)),
    );
  });
});

test('one request with spans from 150 different days is stored whole (a partition per day)', async () => {
  const day = 86_400_000_000_000n;
  const spans = Array.from({ length: 150 }, (_, i) =>
    goodSpan({
      startTimeUnixNano: 1_600_000_000_000_000_000n + BigInt(i) * day,
      endTimeUnixNano: 1_600_000_000_000_000_001n + BigInt(i) * day,
    }),
  );
  await storeOf(spans, async (store) => {
    const [row] = await store.query<{ n: string; days: string }>(
      `SELECT count() AS n, uniqExact(toDate(Timestamp)) AS days FROM ${TABLES.traces}`,
    );
    assert.deepEqual(row, { n: '150', days: '150' });
  });
});
