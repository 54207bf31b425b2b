// Row encoders: exact UTF-8 whatever the mix of characters, bigint kept exact, one line per row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toJsonCompactEachRow, toJsonEachRow } from '../../../src/sink/Store.js';

const rows = [
  { a: 'plain ascii', n: 1 },
  { a: '漢字とかな'.repeat(500), n: 2 }, // 3 bytes a character: more than the buffer's slack
  { a: 'emoji 😀 and ’quotes’ and "escapes"\n\t', n: 3 },
  { a: '', n: 4 },
];

test('JSONEachRow and JSONCompactEachRow bytes decode back to the rows, one line each', () => {
  const each = toJsonEachRow(rows).toString('utf8').split('\n');
  assert.equal(each.pop(), '');
  assert.deepEqual(
    each.map((l) => JSON.parse(l) as unknown),
    rows,
  );
  const compact = toJsonCompactEachRow(rows).toString('utf8').split('\n');
  assert.equal(compact.pop(), '');
  assert.deepEqual(
    compact.map((l) => JSON.parse(l) as unknown),
    rows.map((r) => [r.a, r.n]),
  );
});

test('a long run of multi-byte rows grows the buffer without losing a byte', () => {
  const many = Array.from({ length: 300 }, (_, i) => ({ i, text: `${i}:` + '€'.repeat(200 + i) }));
  const bytes = toJsonCompactEachRow(many);
  assert.equal(
    bytes.length,
    Buffer.byteLength(many.map((r) => JSON.stringify([r.i, r.text]) + '\n').join('')),
  );
  assert.deepEqual(JSON.parse(bytes.toString('utf8').split('\n')[299]!), [299, many[299]!.text]);
});

test('bigint values are written as exact decimal strings; no rows is no bytes', () => {
  const text = toJsonEachRow([{ t: 1_700_000_000_123_456_789n }]).toString('utf8');
  assert.equal(text, '{"t":"1700000000123456789"}\n');
  assert.equal(toJsonCompactEachRow([]).length, 0);
});
