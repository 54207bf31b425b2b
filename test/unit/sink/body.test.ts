// Batch bodies: several buffers read as one; the joiner reuses its buffer only once a join is released.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BodyJoiner,
  BufferList,
  bodyChunks,
  bodyLength,
  bodyParts,
  joinBody,
} from '../../../src/sink/body.js';

const parts = (...texts: string[]) => new BufferList(texts.map((t) => Buffer.from(t)));
/** Whether two views start at the same byte of memory (small buffers share Node's pool slab). */
const sameMemory = (a: Buffer, b: Buffer) => a.buffer === b.buffer && a.byteOffset === b.byteOffset;

test('a body is one buffer or several, read in order', () => {
  const one = Buffer.from('a\nb\n');
  assert.equal(bodyLength(one), 4);
  assert.deepEqual(bodyParts(one), [one]);
  assert.equal(joinBody(one), one, 'one buffer is not copied');
  const several = parts('a\n', '', 'bc\n');
  assert.equal(bodyLength(several), 5);
  assert.equal(joinBody(several).toString(), 'a\nbc\n');
  assert.deepEqual(bodyParts(several), several.buffers);
  assert.equal(bodyLength(new BufferList([])), 0);
  assert.equal(joinBody(new BufferList([])).length, 0);
});

test('the joiner copies parts into one buffer, and hands out its kept buffer again only once released', () => {
  const joiner = new BodyJoiner(1 << 30);
  const first = joiner.join(parts('one\n', 'two\n'));
  assert.equal(first.bytes.toString(), 'one\ntwo\n');
  // Still held (an insert reading it): the next join must not write into it.
  const second = joiner.join(parts('three\n', 'four\n'));
  assert.ok(!sameMemory(second.bytes, first.bytes));
  assert.equal(first.bytes.toString(), 'one\ntwo\n');
  first.release();
  const third = joiner.join(parts('fiv\n', 'six\n'));
  assert.ok(sameMemory(third.bytes, first.bytes), 'the released buffer is reused');
  assert.equal(third.bytes.toString(), 'fiv\nsix\n');
  first.release(); // a second release changes nothing
  const fourth = joiner.join(parts('7\n', '8\n'));
  assert.ok(!sameMemory(fourth.bytes, third.bytes), 'a buffer released twice is not handed out twice');
  assert.equal(third.bytes.toString(), 'fiv\nsix\n');
});

test('the joiner leaves one buffer alone, and keeps no buffer over its cap', () => {
  const joiner = new BodyJoiner(16);
  const alone = Buffer.from('x\n');
  const joined = joiner.join(new BufferList([alone]));
  assert.equal(joined.bytes, alone);
  joined.release();
  const big = joiner.join(parts('y'.repeat(20), '\n'));
  big.release();
  const next = joiner.join(parts('z\n', 'w\n'));
  assert.ok(!sameMemory(next.bytes, big.bytes), 'a buffer over the cap is not kept');
});

test('chunks for a stream: small buffers joined up to the minimum, large ones passed as they are, order kept', () => {
  const big = Buffer.from('B'.repeat(10));
  const body = new BufferList([
    Buffer.from('a'),
    Buffer.from('bc'),
    Buffer.from('def'),
    big,
    Buffer.from('g'),
  ]);
  const chunks = [...bodyChunks(body, 4)];
  assert.deepEqual(
    chunks.map((c) => c.toString()),
    ['abcdef', 'B'.repeat(10), 'g'],
  );
  assert.equal(chunks[1], big, 'a buffer at or over the minimum is not copied');
  assert.equal(Buffer.concat(chunks).toString(), joinBody(body).toString());
  const afterSmall = [...bodyChunks(new BufferList([Buffer.from('s'), big]), 4)];
  assert.deepEqual(
    afterSmall.map((c) => c.toString()),
    ['s', 'B'.repeat(10)],
  );
  assert.equal(afterSmall[1], big, 'nor copied when small ones come before it');
  const one = Buffer.from('solo');
  assert.deepEqual([...bodyChunks(one, 64)], [one]);
  assert.deepEqual([...bodyChunks(new BufferList([]), 4)], []);
});
