// parseFeedback timestamps: every form DateTime64(9) can hold is read exactly; anything else is a listed
// problem (never a throw, which the receiver would answer 500).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFeedback } from '../../../src/receive/parseFeedback.js';

const TRACE = 'ab'.repeat(16);
const NOW = 1_700_000_000_000_000_000n;
const timeOf = (timestamp: unknown) => parseFeedback({ trace_id: TRACE, score: 1, timestamp }, NOW);

test('milliseconds, nanosecond digit strings and ISO dates in range are read to the nanosecond', () => {
  const cases: [unknown, bigint][] = [
    [0, 0n],
    [1714557600000, 1714557600000000000n],
    [1714557600000.5, 1714557600000500000n],
    ['1714557600000000001', 1714557600000000001n],
    ['2024-05-01T10:00:00Z', 1714557600000000000n],
    ['2262-04-11T23:47:16.854Z', 9223372036854000000n],
    ['9223372036854775807', 2n ** 63n - 1n],
  ];
  for (const [timestamp, nanos] of cases) {
    const parsed = timeOf(timestamp);
    assert.ok(parsed.ok, `${String(timestamp)} accepted`);
    assert.equal(parsed.records[0]!.timeUnixNano, nanos, String(timestamp));
  }
});

test('times DateTime64(9) cannot hold, and nonsense, are listed problems, not throws', () => {
  for (const timestamp of [
    1e308, // once threw a RangeError converting Infinity to BigInt
    1.7e18, // nanoseconds sent as a number: read as milliseconds, year 53 million
    -1,
    '9223372036854775808',
    '99999999999999999999999',
    '2262-04-12T00:00:00Z',
    '1969-12-31T23:59:59Z',
    'yesterday',
    '',
  ]) {
    const parsed = timeOf(timestamp);
    assert.equal(parsed.ok, false, `${String(timestamp)} refused`);
    if (!parsed.ok) assert.match(parsed.problems.join('\n'), /body\.timestamp: .*2262-04-11/);
  }
});

test('without a timestamp the item is stamped now', () => {
  const parsed = parseFeedback({ trace_id: TRACE, score: 1 }, NOW);
  assert.ok(parsed.ok);
  assert.equal(parsed.records[0]!.timeUnixNano, NOW);
});

test('an unknown key is named, with its index in an array and the key it likely meant', () => {
  const one = parseFeedback({ tracid: TRACE, score: 1 }, NOW);
  assert.equal(one.ok, false);
  if (!one.ok) {
    assert.equal(one.problems[0], 'body.tracid: unknown key; did you mean trace_id?');
    assert.ok(one.problems.includes('body: needs a trace_id or a session_id'));
  }
  const many = parseFeedback(
    [
      { trace_id: TRACE, score: 1 },
      { trace_id: TRACE, scroe: 1, 'user name': 'x' },
      { session_id: 's', thumbs: 'up' },
    ],
    NOW,
  );
  assert.equal(many.ok, false);
  if (!many.ok)
    assert.deepEqual(many.problems, [
      'body[1].scroe: unknown key; did you mean score?',
      'body[1]["user name"]: unknown key; the keys are trace_id, span_id, session_id, name, score, label, explanation, annotator_kind, annotator_id, timestamp',
      'body[2].thumbs: unknown key; the keys are trace_id, span_id, session_id, name, score, label, explanation, annotator_kind, annotator_id, timestamp',
    ]);
});
