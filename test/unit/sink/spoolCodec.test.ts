// Spool framing: records round-trip; a torn or corrupted tail is detected and never decoded as a record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSegment, encodeRecord } from '../../../src/sink/spoolCodec.js';

const rec = (i: number) => ({
  table: 'otel_traces',
  token: `t${i}`,
  rows: i,
  body: Buffer.from(`{"i":${i}}\n`),
});

test('records round-trip in order', () => {
  const data = Buffer.concat([rec(1), rec(2), rec(3)].map(encodeRecord));
  const { records, corruptBytes } = decodeSegment(data);
  assert.equal(corruptBytes, 0);
  assert.deepEqual(records, [rec(1), rec(2), rec(3)]);
});

test('a torn last record is reported as corrupt bytes, earlier records survive', () => {
  const whole = Buffer.concat([encodeRecord(rec(1)), encodeRecord(rec(2))]);
  for (const cut of [1, 5, 13, 20]) {
    const { records, corruptBytes } = decodeSegment(whole.subarray(0, whole.length - cut));
    assert.deepEqual(records, [rec(1)]);
    assert.equal(corruptBytes, encodeRecord(rec(2)).length - cut);
  }
});

test('a flipped byte fails the checksum and stops decoding there', () => {
  const data = Buffer.concat([rec(1), rec(2), rec(3)].map(encodeRecord));
  const second = encodeRecord(rec(1)).length;
  data[second + 14] = data[second + 14]! ^ 0xff;
  const { records, corruptBytes } = decodeSegment(data);
  assert.deepEqual(records, [rec(1)]);
  assert.equal(corruptBytes, data.length - second);
});

test('a batch format and column list round-trip; a record naming a bad column is not replayed', () => {
  const compact = { ...rec(1), format: 'JSONCompactEachRow' as const, columns: ['Timestamp', 'Events.Name'] };
  assert.deepEqual(decodeSegment(encodeRecord(compact)).records, [compact]);
  const hostile = encodeRecord({ ...compact, columns: ['Timestamp) SELECT 1 --'] });
  const decoded = decodeSegment(hostile);
  assert.deepEqual(decoded.records, []);
  assert.equal(decoded.corruptBytes, hostile.length);
});
