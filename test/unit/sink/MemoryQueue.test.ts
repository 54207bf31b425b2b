// MemoryQueue: the bounds see everything in memory — waiting, in a batch being delivered, and held.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EncodedRequest } from '../../../src/sink/batches.js';
import { MemoryQueue } from '../../../src/sink/MemoryQueue.js';

function request(spans: number, bytes: number): EncodedRequest {
  const body = Buffer.alloc(bytes, 0x61);
  return {
    spans,
    rows: spans,
    bytes,
    tables: [{ table: 'otel_traces', columns: ['c'], rows: spans, body }],
  };
}

test('taken requests count until settled; a batch takes whole requests within its bounds', () => {
  const q = new MemoryQueue();
  for (let i = 0; i < 5; i++) q.push(request(10, 100));
  assert.equal(q.hasBatch(50, 1e9), true);
  assert.equal(q.hasBatch(51, 1e9), false);
  const taken = q.take(25, 1e9);
  assert.equal(taken.length, 2);
  assert.equal(q.length, 3);
  assert.deepEqual(q.load(), { spans: 50, rows: 50, bytes: 500 });
  q.settle(taken);
  assert.deepEqual(q.load(), { spans: 30, rows: 30, bytes: 300 });
  assert.equal(q.take(1, 1).length, 1, 'always at least one request');
});

test('held batches count, as rows and as spans of otel_traces, also while retried', () => {
  const q = new MemoryQueue();
  q.hold([
    { table: 'otel_traces', token: 't1', rows: 4, body: Buffer.alloc(40) },
    { table: 'feedback', token: 't2', rows: 3, body: Buffer.alloc(30) },
  ]);
  assert.deepEqual(q.load(), { spans: 4, rows: 7, bytes: 70 });
  assert.equal(q.heldRows(), 7);
  const held = q.takeHeld();
  assert.equal(held.length, 2);
  assert.equal(q.hasHeld, false);
  assert.equal(q.heldRows(), 7, 'still in memory while retried');
  q.retried();
  assert.deepEqual(q.load(), { spans: 0, rows: 0, bytes: 0 });
});
