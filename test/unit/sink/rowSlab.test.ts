// The row slab: copies live in shared chunks, and a chunk is reused only once every copy in it was released.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferList } from '../../../src/sink/body.js';
import { RowSlab } from '../../../src/sink/rowSlab.js';

const bytes = (fill: number, n = 100): Buffer => Buffer.alloc(n, fill);

test('a copy holds the bytes it was given, apart from the original', () => {
  const slab = new RowSlab(1024, 2);
  const original = Buffer.from('["a","b"]\n');
  const copy = slab.copyOf(original);
  original.fill(0);
  assert.equal(copy.toString(), '["a","b"]\n');
});

test('a chunk is reused only after every copy carved from it is released', () => {
  const slab = new RowSlab(1000, 2);
  // Five copies of 200 bytes fill the first chunk; the sixth starts a second one.
  const [a, b, c, d, e] = [1, 2, 3, 4, 5].map((k) => slab.copyOf(bytes(k, 200)));
  const f = slab.copyOf(bytes(6, 200));
  slab.release(a!);
  // b to e are still held: the second chunk fills and a third starts, the first is not reused.
  const more = [1, 2, 3, 4, 5].map((k) => slab.copyOf(bytes(10 + k, 200)));
  assert.equal(slab.reused, 0);
  assert.deepEqual(
    [b, c, d, e].map((x) => x![0]),
    [2, 3, 4, 5],
  );
  slab.release(new BufferList([b!, c!]));
  slab.release(d!);
  slab.release(e!);
  // The first chunk is free now: once the third is full, the next copy goes into it.
  for (let k = 0; k < 4; k++) slab.copyOf(bytes(7, 200));
  assert.equal(slab.reused, 0);
  slab.copyOf(bytes(8, 200));
  assert.equal(slab.reused, 1);
  assert.equal(a![0], 8, "the released copy's memory was reused");
  assert.deepEqual(
    [f, ...more].map((x) => x[0]),
    [6, 11, 12, 13, 14, 15],
    'copies still held were not written over',
  );
});

test('a second release of a copy does not count for its chunk-mates', () => {
  const slab = new RowSlab(1000, 4);
  // One chunk: a, b, c, d (250 bytes each). Releasing a twice and c, d once must leave b holding it.
  const [a, b, c, d] = [1, 2, 3, 4].map((k) => slab.copyOf(bytes(k, 250)));
  slab.copyOf(bytes(9, 250)); // the next chunk: the first is no longer being filled
  slab.release(a!);
  slab.release(a!);
  slab.release(new BufferList([c!, d!]));
  for (let i = 0; i < 12; i++) slab.copyOf(bytes(9, 250));
  assert.equal(slab.reused, 0, 'b is still held, so its chunk was not reused');
  assert.equal(b![0], 2);
  slab.release(b!);
  for (let i = 0; i < 12; i++) slab.copyOf(bytes(9, 250));
  assert.ok(slab.reused > 0, 'released for good, the chunk is reused');
});

test('releasing what the slab did not make, or a view of a copy, does not count for the copy', () => {
  const slab = new RowSlab(1000, 4);
  const [a, b, c, d] = [1, 2, 3, 4].map((k) => slab.copyOf(bytes(k, 250)));
  slab.copyOf(bytes(9, 250)); // the next chunk
  slab.release(new BufferList([a!, c!, d!]));
  slab.release(Buffer.alloc(10));
  slab.release(b!.subarray(0, 10));
  slab.release(b!.subarray(10));
  for (let i = 0; i < 12; i++) slab.copyOf(bytes(9, 250));
  assert.equal(slab.reused, 0, 'b is still held, so its chunk was not reused');
  assert.equal(b![0], 2);
  assert.equal(b![249], 2);
});

test('a forgotten copy is never written over, even when released later', () => {
  const slab = new RowSlab(1000, 4);
  const [a, b, c, d] = [1, 2, 3, 4].map((k) => slab.copyOf(bytes(k, 250)));
  slab.copyOf(bytes(9, 250)); // the next chunk
  slab.forget(b!);
  slab.release(new BufferList([a!, b!, c!, d!]));
  for (let i = 0; i < 12; i++) slab.copyOf(bytes(9, 250));
  assert.equal(slab.reused, 0, 'the forgotten copy keeps its chunk out of reuse');
  assert.equal(b![0], 2);
});

test('the chunk being filled is not reused, even when every copy in it was released', () => {
  const slab = new RowSlab(1000, 4);
  const a = slab.copyOf(bytes(1, 200));
  slab.release(a);
  // Still the chunk being filled: the next copies go on after a, not over a reused chunk's start.
  const b = slab.copyOf(bytes(2, 200));
  assert.equal(b.buffer, a.buffer);
  assert.equal(b.byteOffset, a.byteOffset + 200);
  assert.equal(slab.reused, 0);
  const c = slab.copyOf(bytes(3, 200));
  slab.release(b);
  assert.equal(c[0], 3);
  // Filled and left with nothing held but c: not reused while c is held.
  slab.copyOf(bytes(4, 200));
  slab.copyOf(bytes(5, 200));
  for (let i = 0; i < 10; i++) slab.copyOf(bytes(6, 200));
  assert.equal(slab.reused, 0);
  assert.equal(c[0], 3);
});

test('rows over a quarter of a chunk, and empty ones, get buffers of their own', () => {
  const slab = new RowSlab(1000, 2);
  const big = slab.copyOf(bytes(1, 251));
  const small = slab.copyOf(bytes(2, 250));
  assert.notEqual(big.buffer, small.buffer, 'the big copy is not in the chunk');
  assert.equal(slab.copyOf(Buffer.alloc(0)).length, 0);
  slab.release(big); // not carved: nothing to do
  assert.equal(big[0], 1);
});
