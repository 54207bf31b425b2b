// LineBuffer: exact UTF-8 lines whatever the estimate, and no more memory held than the bytes need.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineBuffer } from '../../../src/sink/LineBuffer.js';
import { RowSlab } from '../../../src/sink/rowSlab.js';
import { jsonString, JsonStringMemo, toJson, wellFormedJson } from '../../../src/sink/jsonString.js';

test('lines come out newline-terminated and byte-exact, growing past a low estimate', () => {
  const lines = Array.from({ length: 300 }, (_, i) => `${i}:` + (i % 2 ? '€' : 'a').repeat(200 + i) + '😀');
  const buffer = new LineBuffer(10, 16);
  for (const line of lines) buffer.push(line);
  const bytes = buffer.finish();
  assert.deepEqual(bytes, Buffer.from(lines.map((l) => l + '\n').join('')));
  assert.equal(new LineBuffer(4).finish().length, 0);
  assert.ok(bytes.buffer.byteLength <= bytes.length * 1.125 + 8192);
  // A copy: the next LineBuffer writes into the same scratch memory without touching it.
  const next = new LineBuffer(10, 16);
  for (const line of lines) next.push(line.toUpperCase());
  next.finish();
  assert.deepEqual(bytes, Buffer.from(lines.map((l) => l + '\n').join('')));
});

test('a high estimate does not keep its unused bytes, in its own buffer or in a row slab', () => {
  const alone = new LineBuffer(1000, 4096);
  alone.push('short');
  const own = alone.finish();
  assert.equal(own.toString(), 'short\n');
  assert.ok(own.buffer.byteLength < 4096 * 1000);
  // Queued rows go into a slab's shared chunks: the second starts right where the first ends.
  const slab = new RowSlab();
  const [first, second] = ['short', 'shorter'].map((line) => {
    const buffer = new LineBuffer(1000, 4096);
    buffer.push(line);
    return buffer.finish(slab);
  });
  assert.deepEqual([first!.toString(), second!.toString()], ['short\n', 'shorter\n']);
  assert.equal(second!.buffer, first!.buffer);
  assert.equal(second!.byteOffset, first!.byteOffset + first!.length);
});

test('jsonString and the memo are JSON.stringify for every kind of text, lone surrogates as U+FFFD', () => {
  const memo = new JsonStringMemo(':', 3, 8);
  for (const text of [
    '',
    'a',
    'quote "',
    'back\\',
    'nl\n',
    '\u0000',
    '\u001f',
    '\u007f',
    '\ud83d\ude00',
    '\ud800',
    'x\udfff',
    '\u2028',
    '漢',
    'long text '.repeat(3),
  ]) {
    const json = JSON.stringify(text.toWellFormed());
    assert.equal(jsonString(text), json);
    assert.equal(memo.get(text), json + ':');
    assert.equal(memo.get(text), json + ':');
  }
});

test('wellFormedJson replaces lone-surrogate escapes only: not pairs, not the text \\ud800', () => {
  assert.equal(
    wellFormedJson(JSON.stringify(['a\ud800b', '\udfff', '\ud83d\ude00'])),
    '["a\uFFFDb","\uFFFD","😀"]',
  );
  assert.equal(wellFormedJson(JSON.stringify('\\ud800')), '"\\\\ud800"');
  assert.equal(wellFormedJson(JSON.stringify('\\\ud800')), '"\\\\\uFFFD"');
  assert.equal(wellFormedJson(JSON.stringify({ 'k\udc00': '\u0001' })), '{"k\uFFFD":"\\u0001"}');
  assert.equal(toJson({ a: ['\ud800'] }), '{"a":["\uFFFD"]}');
});

test('a whole line cannot be pushed between the pieces of another', () => {
  const buffer = new LineBuffer(2);
  buffer.append('["a",');
  assert.throws(() => buffer.push('["b"]'), /while a line is being appended/);
  buffer.append('"b"]');
  buffer.endLine();
  buffer.push('["c"]');
  assert.equal(buffer.finish().toString(), '["a","b"]\n["c"]\n');
});

test('finished bytes are a copy of their own: later LineBuffers reuse the scratch buffer without touching them', () => {
  const held: Buffer[] = [];
  for (let i = 0; i < 12; i++) {
    const buffer = new LineBuffer(3, 64);
    for (let k = 0; k < 3; k++) buffer.push(`["request ${i}","line ${k}","${'x'.repeat(i * 10)}"]`);
    held.push(buffer.finish());
  }
  held.forEach((bytes, i) => {
    const lines = bytes.toString().split('\n');
    assert.equal(lines.length, 4, `request ${i}`);
    assert.equal(lines[2], `["request ${i}","line 2","${'x'.repeat(i * 10)}"]`);
    assert.equal(bytes.length, Buffer.byteLength(bytes.toString()), 'exactly the bytes written');
  });
});
