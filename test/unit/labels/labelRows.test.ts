// Label validation is all-or-nothing and names every problem with its row; a choice of a/b is mapped with
// the annotator's own A/B order; a repeat of the current label is dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromChoice, key, parseLabelRows, resolveLabels } from '../../../src/labels/labelRows.js';

const known = {
  assignments: [
    { pair_id: 'p1', annotator_id: 'ann', item_id: 'i-ann-1', a_is_chosen: true },
    { pair_id: 'p1', annotator_id: 'bob', item_id: 'i-bob-1', a_is_chosen: false },
    { pair_id: 'p2', annotator_id: 'bob', item_id: 'i-bob-2', a_is_chosen: true },
  ],
  current: new Map([[key('p1', 'bob'), 'rejected']]),
};

test('shape problems: every row, by index', () => {
  const { parsed, problems } = parseLabelRows([
    { pair_id: 'p1', annotator_id: 'ann', preferred: 'chosen' },
    'nope',
    { pair_id: '', annotator_id: 'ann', preferred: 'chosen' },
    { pair_id: 'p1', annotator_id: 'ann', preferred: 'better' },
    { pair_id: 'p1', annotator_id: 'ann', preferred: 'chosen', choice: 'a' },
    { pair_id: 'p1', annotator_id: 'ann', choice: 'c', extra: 1 },
  ]);
  assert.equal(parsed.length, 1);
  assert.deepEqual(problems, [
    'row 1: expected an object {pair_id, annotator_id, preferred} or {item_id, choice}',
    'row 2: pair_id (or item_id) must be a non-empty string',
    'row 3: preferred must be one of chosen, rejected, tie, skip, got "better"',
    'row 4: give exactly one of preferred (chosen|rejected|tie|skip) or choice (a|b|tie|skip)',
    'row 5: unknown field "extra"',
    'row 5: choice must be one of a, b, tie, skip, got "c"',
  ]);
  assert.deepEqual(parseLabelRows([]).problems, ['no labels: send an object or a non-empty array']);
});

test('store problems: unknown pair, unknown annotator, not assigned — and then nothing is kept', () => {
  const { parsed } = parseLabelRows([
    { pair_id: 'p1', annotator_id: 'ann', preferred: 'chosen' },
    { pair_id: 'zz', annotator_id: 'ann', preferred: 'chosen' },
    { pair_id: 'p1', annotator_id: 'eve', preferred: 'chosen' },
    { pair_id: 'p2', annotator_id: 'ann', preferred: 'chosen' },
  ]);
  const r = resolveLabels(parsed, known);
  assert.deepEqual(r.labels, []);
  assert.deepEqual(r.problems, [
    'row 1: unknown pair "zz" (never sampled for review)',
    'row 2: unknown annotator "eve" (no review assignments)',
    'row 3: pair p2 is not assigned to annotator ann',
  ]);
});

test('choices map through each annotator\u2019s own order; a repeated current label is a no-op', () => {
  assert.equal(fromChoice('a', true), 'chosen');
  assert.equal(fromChoice('a', false), 'rejected');
  assert.equal(fromChoice('b', false), 'chosen');
  assert.equal(fromChoice('tie', false), 'tie');
  const { parsed } = parseLabelRows([
    { pair_id: 'p1', annotator_id: 'ann', choice: 'a' },
    { pair_id: 'p1', annotator_id: 'bob', choice: 'a' }, // bob sees the rejected answer as A: his current label
    { pair_id: 'p2', annotator_id: 'bob', choice: 'b' },
    { pair_id: 'p2', annotator_id: 'bob', choice: 'b' }, // a double key press
  ]);
  const r = resolveLabels(parsed, known);
  assert.deepEqual(r.problems, []);
  assert.equal(r.unchanged, 2);
  assert.deepEqual(r.labels, [
    { pair_id: 'p1', annotator_id: 'ann', preferred: 'chosen' },
    { pair_id: 'p2', annotator_id: 'bob', preferred: 'rejected' },
  ]);
});

test('an annotator token fills in a missing annotator_id', () => {
  const { parsed, problems } = parseLabelRows([{ pair_id: 'p1', choice: 'a' }], 'ann');
  assert.deepEqual(problems, []);
  assert.equal(parsed[0]!.annotator_id, 'ann');
});

test('an item id stands for its pair and annotator; the page needs no pair id', () => {
  const { parsed, problems } = parseLabelRows([
    { item_id: 'i-bob-1', choice: 'b' }, // bob's A is the rejected answer: b is the chosen
    { item_id: 'i-ann-1', annotator_id: 'ann', choice: 'a' },
    { item_id: 'i-bob-2', choice: 'a' },
    { item_id: 'i-bob-2', preferred: 'chosen' }, // the same label again: a no-op
  ]);
  assert.deepEqual(problems, []);
  const r = resolveLabels(parsed, known);
  assert.deepEqual(r.problems, []);
  assert.equal(r.unchanged, 1);
  assert.deepEqual(r.labels, [
    { pair_id: 'p1', annotator_id: 'bob', preferred: 'chosen' },
    { pair_id: 'p1', annotator_id: 'ann', preferred: 'chosen' },
    { pair_id: 'p2', annotator_id: 'bob', preferred: 'chosen' },
  ]);
});

test('item problems: both ids, an empty id, an unknown item, another annotator\u2019s item — all listed', () => {
  const { parsed, problems } = parseLabelRows(
    [
      { item_id: 'i-ann-1', pair_id: 'p1', choice: 'a' },
      { item_id: '', choice: 'a' },
      { item_id: 'i-ann-1', choice: 'a' }, // ann's own item: fine
      { item_id: 'i-bob-1', choice: 'a' }, // bob's item under ann's token
      { item_id: 'nope', choice: 'a' },
    ],
    'ann',
  );
  assert.deepEqual(problems, [
    'row 0: give pair_id or item_id, not both',
    'row 1: item_id must be a non-empty string',
  ]);
  const r = resolveLabels(parsed, known);
  assert.deepEqual(r.labels, []);
  assert.deepEqual(r.problems, [
    'row 3: unknown item "i-bob-1" (not one of ann\'s review items)',
    'row 4: unknown item "nope" (not one of ann\'s review items)',
  ]);
});
