// Flattening attributes to Map(String,String) values: every key kept, values in AsString form.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flattenAttributes } from '../../../src/records/attributeToString.js';
import type { AttrMap } from '../../../src/records/types.js';

test('flattens every value with AsString rules and keeps key order', () => {
  const attributes: AttrMap = {
    s: 'x',
    i: 12n,
    d: 0.5,
    b: true,
    n: null,
    l: [1n, 'a'],
    m: { z: 1n, a: [true] },
  };
  assert.deepEqual(flattenAttributes(attributes), {
    s: 'x',
    i: '12',
    d: '0.5',
    b: 'true',
    n: '',
    l: '[1,"a"]',
    m: '{"a":[true],"z":1}',
  });
});

test('a __proto__ attribute is kept as an own string property, not dropped or made the prototype', () => {
  const attributes: AttrMap = {};
  Object.defineProperty(attributes, '__proto__', {
    value: 'v',
    enumerable: true,
    writable: true,
    configurable: true,
  });
  attributes.after = 1n;
  const flat = flattenAttributes(attributes);
  assert.deepEqual(Object.entries(flat), [
    ['__proto__', 'v'],
    ['after', '1'],
  ]);
  assert.equal(Object.getPrototypeOf(flat), Object.prototype);
});
