// attemptWithIsolation: refused rows are found by halving, batch-mates stored, a transient fault retries whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Batch } from '../../../src/sink/Batch.js';
import { joinBody } from '../../../src/sink/body.js';
import { attemptWithIsolation, type InsertOutcome } from '../../../src/sink/isolateRefused.js';

function batch(rows: number): Batch {
  const body = Buffer.from(Array.from({ length: rows }, (_, i) => `["r${i}"]\n`).join(''));
  return { table: 't', token: 'prefloop-tok', rows, body, format: 'JSONCompactEachRow', columns: ['c'] };
}

/** Lines of a batch, as the store would read them. */
function lines(b: Batch): string[] {
  return joinBody(b.body).toString().split('\n').filter(Boolean);
}

/** A store refusing any batch holding one of `bad`; records what it stored. */
function store(bad: Set<string>, transient?: () => boolean) {
  const stored: string[] = [];
  const insert = (b: Batch): Promise<InsertOutcome> => {
    if (transient?.()) return Promise.resolve('failed');
    if (lines(b).some((l) => bad.has(l))) return Promise.resolve({ refused: new Error('bad row') });
    stored.push(...lines(b));
    return Promise.resolve('ok');
  };
  return { stored, insert };
}

test('a clean batch is one insert', async () => {
  const s = store(new Set());
  const out = await attemptWithIsolation(batch(8), s.insert);
  assert.deepEqual(out, { result: 'ok', refused: [] });
  assert.equal(s.stored.length, 8);
});

test('one refused row: the other rows are stored, that row alone is returned', async () => {
  for (let rows = 2; rows <= 33; rows++) {
    for (const badAt of [0, Math.floor(rows / 2), rows - 1]) {
      const bad = `["r${badAt}"]`;
      const s = store(new Set([bad]));
      const out = await attemptWithIsolation(batch(rows), s.insert);
      assert.equal(out.result, 'ok');
      assert.deepEqual(
        out.refused.flatMap((r) => lines(r.batch)),
        [bad],
        `rows ${rows}, bad ${badAt}`,
      );
      assert.equal(s.stored.length, rows - 1);
      assert.ok(!s.stored.includes(bad));
    }
  }
});

test('every row refused: the batch is returned whole after one split', async () => {
  let inserts = 0;
  const out = await attemptWithIsolation(batch(16), (b) => {
    inserts++;
    return Promise.resolve({ refused: new Error(`bad ${b.rows}`) });
  });
  assert.equal(out.result, 'ok');
  assert.equal(out.refused.length, 1);
  assert.equal(out.refused[0]!.batch.rows, 16);
  assert.equal(inserts, 3);
});

test('a transient fault while isolating fails the attempt and returns no refused parts', async () => {
  let calls = 0;
  const s = store(new Set(['["r3"]']), () => ++calls === 3);
  const out = await attemptWithIsolation(batch(8), s.insert);
  assert.deepEqual(out, { result: 'failed', refused: [] });
});

test('stop ends the isolation as failed', async () => {
  const s = store(new Set(['["r1"]']));
  const out = await attemptWithIsolation(batch(8), s.insert, () => true);
  assert.deepEqual(out, { result: 'failed', refused: [] });
});
