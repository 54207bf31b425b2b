// The Prometheus registry: counters with labels, gauges read at scrape time, exposition format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Metrics } from '../../../src/observe/Metrics.js';

test('counters add per label set and render in Prometheus text format', () => {
  const m = new Metrics();
  m.counter('prefloop_things_total', 'Things seen');
  const frozen = Object.freeze({ kind: 'a' });
  m.inc('prefloop_things_total', 2, frozen);
  m.inc('prefloop_things_total', 3, frozen);
  m.inc('prefloop_things_total', 1, { kind: 'b"q' });
  assert.equal(m.get('prefloop_things_total', { kind: 'a' }), 5);
  const text = m.render();
  assert.match(text, /^# HELP prefloop_things_total Things seen\n# TYPE prefloop_things_total counter\n/);
  assert.match(text, /prefloop_things_total\{kind="a"\} 5\n/);
  assert.match(text, /prefloop_things_total\{kind="b\\"q"\} 1\n/);
});

test('a mutable labels object is never served from a stale cache', () => {
  const m = new Metrics();
  m.counter('c_total', 'c');
  const labels = { table: 'x' };
  m.inc('c_total', 1, labels);
  labels.table = 'y';
  m.inc('c_total', 1, labels);
  assert.equal(m.get('c_total', { table: 'x' }), 1);
  assert.equal(m.get('c_total', { table: 'y' }), 1);
});

test('gauges are read at scrape time; undeclared counters are a programming error', () => {
  const m = new Metrics();
  let depth = 3;
  m.gauge('prefloop_depth', 'Depth', () => depth);
  depth = 7;
  assert.match(m.render(), /prefloop_depth 7\n/);
  assert.throws(() => m.inc('nope_total'), /never declared/);
});

test('a bound counter adds to the same series as inc, and shows only once it has counted', () => {
  const m = new Metrics();
  m.counter('prefloop_things_total', 'Things.');
  const labels = Object.freeze({ rubric: 'a' });
  const bound = m.bind('prefloop_things_total', labels);
  // Bound but never incremented: the counter renders as an unlabelled zero, as before any inc.
  assert.match(m.render(), /^prefloop_things_total 0$/m);
  bound.inc();
  bound.inc(2);
  m.inc('prefloop_things_total', 4, { rubric: 'a' });
  m.inc('prefloop_things_total', 1, { rubric: 'b' });
  assert.equal(m.get('prefloop_things_total', { rubric: 'a' }), 7);
  assert.match(m.render(), /^prefloop_things_total\{rubric="a"\} 7$/m);
  assert.match(m.render(), /^prefloop_things_total\{rubric="b"\} 1$/m);
  assert.throws(() => m.bind('prefloop_unknown_total'), /never declared/);
});
