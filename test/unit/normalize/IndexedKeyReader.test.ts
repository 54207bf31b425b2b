// IndexedKeyReader gives exactly indexedEntriesOf's entries, however keys repeat or vary across spans.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexedEntriesOf } from '../../../src/normalize/indexedAttributes.js';
import { IndexedKeyReader } from '../../../src/normalize/IndexedKeyReader.js';
import type { AttrMap } from '../../../src/records/types.js';

const PREFIXES = ['m', 'llm.input_messages', 'docs'];

test('seeded random keys read exactly as indexedEntriesOf, the second time (remembered) too', () => {
  const reader = new IndexedKeyReader(PREFIXES);
  let seed = 7;
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  const parts = [
    'm',
    'docs',
    'llm.input_messages',
    '0',
    '1',
    '9',
    '10',
    '.',
    'x',
    'role',
    '01',
    '',
    '__proto__',
  ];
  for (let i = 0; i < 500; i++) {
    const a: AttrMap = {};
    for (let k = 0; k < 12; k++) {
      const key = Array.from(
        { length: 1 + Math.floor(rand() * 6) },
        () => parts[Math.floor(rand() * parts.length)],
      ).join('');
      Object.defineProperty(a, key, { value: k, enumerable: true, writable: true, configurable: true });
    }
    const expected = indexedEntriesOf(a, PREFIXES);
    assert.deepEqual(reader.entriesOf(a), expected, JSON.stringify(Object.keys(a)));
    assert.deepEqual(reader.entriesOf(a), expected);
  }
});

test('more distinct keys than it remembers: still read right after the memory is cleared', () => {
  const reader = new IndexedKeyReader(PREFIXES);
  for (let i = 0; i < 10_000; i += 7) {
    const a: AttrMap = {
      [`m.${i}.role`]: 'r',
      [`docs.${i % 3}.x${i}`]: i,
      [`other${i}`]: 1,
      'm.1.content': 'c',
    };
    assert.deepEqual(reader.entriesOf(a), indexedEntriesOf(a, PREFIXES));
  }
});

test('overlapping prefixes are refused, since a key must read one way', () => {
  assert.throws(() => new IndexedKeyReader(['a', 'a.b']), /overlap: "a\." and "a\.b\."/);
  assert.doesNotThrow(() => new IndexedKeyReader(['a', 'ab']));
});
