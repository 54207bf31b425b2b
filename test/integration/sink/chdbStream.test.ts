// A streamed query on the embedded store survives other queries on the same folder while it reads: chDB ends
// an open stream when another query runs on its session between two chunks ("No active streaming query"),
// so the store makes them wait for the stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';

test('queries and inserts during a stream wait for it, and the stream reads every row', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-stream-'));
  const reader = new ChdbStore(join(dir, 'store'), 'prefloop');
  const other = new ChdbStore(join(dir, 'store'), 'prefloop'); // another user of the same session (as serve's schedules)
  try {
    await reader.command('CREATE TABLE prefloop.t (x UInt64) ENGINE = MergeTree ORDER BY x');
    await reader.command('INSERT INTO prefloop.t SELECT number FROM numbers(300000)');
    let rows = 0;
    const during: Promise<unknown>[] = [];
    for await (const row of reader.stream<{ x: string }>('SELECT x FROM prefloop.t ORDER BY x')) {
      assert.equal(Number(row.x), rows);
      rows++;
      // Several chunks in (the engine sends 65,536 rows a chunk), others use the store without waiting here.
      if (rows === 100_000) {
        during.push(other.query('SELECT count() AS n FROM prefloop.t'));
        during.push(other.insert('t', [{ x: 300_000 }]));
      }
    }
    assert.equal(rows, 300_000);
    const [counted] = await Promise.all(during);
    assert.deepEqual(counted, [{ n: '300000' }], 'the query ran after the stream, on the rows then stored');
    assert.deepEqual(await other.query('SELECT count() AS n FROM prefloop.t'), [{ n: '300001' }]);
  } finally {
    await other.close();
    await reader.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stream stopped early (break) lets the others go on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-stream-'));
  const store = new ChdbStore(join(dir, 'store'), 'prefloop');
  try {
    for await (const _ of store.stream('SELECT number FROM numbers(200000)')) break;
    assert.deepEqual(await store.query('SELECT 1 AS one'), [{ one: 1 }]);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
