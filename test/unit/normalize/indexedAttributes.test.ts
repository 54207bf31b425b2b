// Indexed attributes (`<prefix>.<i>.<rest>`): grouping and numeric order, including odd indexes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexedEntries, indexedEntriesOf } from '../../../src/normalize/indexedAttributes.js';
import type { AttrMap, AttrValue } from '../../../src/records/types.js';

/** The definition, the slow way: regex-checked index text read with Number, entries sorted. */
function definition(attributes: AttrMap, prefix: string): Array<[number, Map<string, AttrValue>]> {
  const head = prefix + '.';
  const groups = new Map<number, Map<string, AttrValue>>();
  for (const key of Object.keys(attributes)) {
    if (!key.startsWith(head)) continue;
    const dot = key.indexOf('.', head.length);
    if (dot < 0) continue;
    const text = key.slice(head.length, dot);
    if (!/^\d+$/.test(text)) continue;
    const index = Number(text);
    if (!groups.has(index)) groups.set(index, new Map());
    groups.get(index)!.set(key.slice(dot + 1), attributes[key] ?? null);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]);
}

test('groups by index in numeric order whatever order the keys came in', () => {
  const a: AttrMap = {
    'm.10.role': 'r10',
    'm.2.role': 'r2',
    'm.2.content': 'c2',
    'm.1.content.text': 'c1',
    other: 'x',
  };
  assert.deepEqual(indexedEntries(a, 'm'), [
    [1, new Map([['content.text', 'c1']])],
    [
      2,
      new Map([
        ['role', 'r2'],
        ['content', 'c2'],
      ]),
    ],
    [10, new Map([['role', 'r10']])],
  ]);
});

test('odd keys are skipped or read exactly as Number() reads the index', () => {
  const a: AttrMap = {
    'm.': 1,
    'm..x': 2,
    'm.1': 3,
    'm.1x.y': 4,
    'm.-1.y': 5,
    'm. 1.y': 6,
    'm.٣.y': 7, // Arabic-Indic digit: not an index
    'm.007.y': 8,
    'm.7.z': 9,
    'm.12345678901234567890.y': 10,
    'm.12345678901234567891.z': 11,
    'mm.1.y': 12,
  };
  assert.deepEqual(indexedEntries(a, 'm'), definition(a, 'm'));
  assert.deepEqual(indexedEntries({}, 'm'), []);
});

test('seeded random keys group exactly as the definition does', () => {
  let seed = 9;
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  const parts = ['m', '0', '1', '9', '10', '.', 'x', 'role', '01', ''];
  for (let i = 0; i < 300; i++) {
    const a: AttrMap = {};
    for (let k = 0; k < 12; k++)
      a[
        Array.from(
          { length: 1 + Math.floor(rand() * 6) },
          () => parts[Math.floor(rand() * parts.length)],
        ).join('')
      ] = k;
    assert.deepEqual(indexedEntries(a, 'm'), definition(a, 'm'), JSON.stringify(a));
  }
});

test('several prefixes in one pass group exactly as one pass per prefix, nested prefixes too', () => {
  let seed = 17;
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  const parts = ['m', 'n', '0', '1', '9', '10', '.', 'x', 'role', ''];
  const prefixes = ['m', 'n', 'm.0', 'm.1.x'];
  for (let i = 0; i < 300; i++) {
    const a: AttrMap = {};
    for (let k = 0; k < 16; k++)
      a[
        Array.from(
          { length: 1 + Math.floor(rand() * 7) },
          () => parts[Math.floor(rand() * parts.length)],
        ).join('')
      ] = k;
    assert.deepEqual(
      indexedEntriesOf(a, prefixes),
      prefixes.map((p) => definition(a, p)),
      JSON.stringify(a),
    );
  }
});
