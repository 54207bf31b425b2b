// BatchSizer: batches follow what the store absorbs, within their bounds; a timeout halves them at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchSizer } from '../../../src/sink/BatchSizer.js';

test('starts at the most rows, and settles where an insert takes about the target time', () => {
  const sizer = new BatchSizer({ maxRows: 20_000, minRows: 500, targetMs: 1000 });
  assert.equal(sizer.batchRows, 20_000);
  // A store that takes 5 rows a millisecond: 20,000 rows in 4 s.
  for (let i = 0; i < 10; i++) sizer.succeeded(sizer.batchRows, sizer.batchRows / 5);
  assert.equal(sizer.batchRows, 5000);
});

test('follows a store that gets faster, up to the bound', () => {
  const sizer = new BatchSizer({ maxRows: 20_000, minRows: 500, targetMs: 1000 });
  for (let i = 0; i < 10; i++) sizer.succeeded(sizer.batchRows, sizer.batchRows / 2);
  assert.equal(sizer.batchRows, 2000);
  for (let i = 0; i < 20; i++) sizer.succeeded(sizer.batchRows, sizer.batchRows / 50);
  assert.equal(sizer.batchRows, 20_000);
});

test('a small insert (mostly fixed overhead) says nothing about the rate', () => {
  const sizer = new BatchSizer({ maxRows: 20_000, minRows: 500, targetMs: 1000 });
  sizer.succeeded(10, 50); // 0.2 rows/ms would mean 200-row batches
  assert.equal(sizer.batchRows, 20_000);
});

test('a timeout halves the batch, never below the least', () => {
  const sizer = new BatchSizer({ maxRows: 20_000, minRows: 500, targetMs: 1000 });
  sizer.timedOut(20_000);
  assert.equal(sizer.batchRows, 10_000);
  for (let i = 0; i < 10; i++) sizer.timedOut(sizer.batchRows);
  assert.equal(sizer.batchRows, 500);
});

test('one slow insert moves the size by half its weight, not all the way', () => {
  const sizer = new BatchSizer({ maxRows: 20_000, minRows: 100, targetMs: 1000 });
  for (let i = 0; i < 10; i++) sizer.succeeded(sizer.batchRows, sizer.batchRows / 10);
  assert.equal(sizer.batchRows, 10_000);
  sizer.succeeded(10_000, 10_000); // one insert at 1 row/ms
  assert.equal(sizer.batchRows, 5500);
});

test('bounds hold when the least exceeds the most', () => {
  const sizer = new BatchSizer({ maxRows: 40, minRows: 500, targetMs: 1000 });
  sizer.timedOut(40);
  assert.equal(sizer.batchRows, 40);
});
