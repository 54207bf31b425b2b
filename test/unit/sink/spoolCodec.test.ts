// Spool framing: records round-trip; a torn or corrupted tail is detected and never decoded as a record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { crc32, crc32Portable, decodeSegment, encodeRecordParts } from '../../../src/sink/spoolCodec.js';
import type { Batch } from '../../../src/sink/Batch.js';
import { BufferList } from '../../../src/sink/body.js';

/** One record framed as the bytes a segment holds (the spool writes its parts with writev). */
const encodeRecord = (r: Batch) => Buffer.concat(encodeRecordParts(r));

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

test('a record written before CRC-32 framing (sha256 prefix, no flag) still decodes; a corrupt one does not', () => {
  const legacy = (r: ReturnType<typeof rec>) => {
    const payload = Buffer.concat([
      Buffer.from(JSON.stringify({ table: r.table, token: r.token, rows: r.rows }) + '\n'),
      r.body,
    ]);
    const header = Buffer.alloc(12);
    header.writeUInt32BE(payload.length, 0);
    createHash('sha256').update(payload).digest().copy(header, 4, 0, 8);
    return Buffer.concat([header, payload]);
  };
  // Node without zlib's CRC-32 (< 20.15) still writes this framing.
  assert.deepEqual(Buffer.concat(encodeRecordParts(rec(1), 'sha256')), legacy(rec(1)));
  const data = Buffer.concat([legacy(rec(1)), encodeRecord(rec(2)), legacy(rec(3))]);
  assert.deepEqual(decodeSegment(data), { records: [rec(1), rec(2), rec(3)], corruptBytes: 0 });
  const flipped = Buffer.from(data);
  flipped[flipped.length - 2] = flipped[flipped.length - 2]! ^ 0x01;
  assert.deepEqual(decodeSegment(flipped).records, [rec(1), rec(2)]);
});

test('the portable CRC-32 agrees with zlib (the check value, and chained over parts)', () => {
  assert.equal(crc32Portable(Buffer.from('123456789'), 0), 0xcbf43926);
  const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff));
  assert.equal(crc32Portable(data, 0), crc32(data, 0));
  assert.equal(crc32Portable(data.subarray(1000), crc32Portable(data.subarray(0, 1000), 0)), crc32(data, 0));
});

test('a body of several buffers is framed as the same bytes as the one buffer they make, in both checks', () => {
  const whole = Buffer.from('{"i":1}\n{"i":2}\n{"i":3}\n');
  const parts = [whole.subarray(0, 8), whole.subarray(8, 9), whole.subarray(9)];
  const body = new BufferList(parts);
  for (const check of ['crc32', 'sha256'] as const) {
    const framed = encodeRecordParts({ ...rec(3), body }, check);
    assert.equal(framed.length, 2 + parts.length, 'header, head line, then the parts themselves');
    assert.ok(
      parts.every((p, i) => framed[2 + i] === p),
      'the parts are not copied',
    );
    assert.deepEqual(
      Buffer.concat(framed),
      Buffer.concat(encodeRecordParts({ ...rec(3), body: whole }, check)),
    );
    assert.deepEqual(decodeSegment(Buffer.concat(framed)).records, [{ ...rec(3), body: whole }]);
  }
});
