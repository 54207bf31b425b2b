// The overview's snapshot of the pair views: taken when there is none, retaken when the store changed (waited
// for while quick, in the background otherwise), kept while nothing changed, older copies dropped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../../src/sink/Store.js';
import { PairSnapshots } from '../../../src/ui/pairSnapshot.js';
import { annotate, ask, insertSpans, llmSpan, tempStore } from '../../helpers/traces.js';

let store: Store;
let cleanup: () => Promise<void>;

before(async () => {
  ({ store, cleanup } = await tempStore('ui-snapshot'));
});
after(() => cleanup());

async function addPair(k: number): Promise<void> {
  const prompt = ask(`question ${k}`);
  await insertSpans(store, [
    annotate(llmSpan({ prompt, response: `good ${k}`, time: k * 10 }), { up: true }),
    annotate(llmSpan({ prompt, response: `bad ${k}`, time: k * 10 + 1 }), { up: false }),
  ]);
}

async function snapshotsInTable(): Promise<number> {
  const [row] = await store.query<{ n: string }>('SELECT uniqExact(SnapshotAt) AS n FROM ui_pairs');
  return Number(row!.n);
}

test('a quick store is always current: taken at first, retaken after a change, kept while unchanged', async () => {
  const snapshots = new PairSnapshots(store);
  const first = await snapshots.current();
  assert.equal(first.pairs, 0);
  assert.equal(first.refreshing, false);
  assert.equal((await snapshots.current()).at, first.at, 'nothing changed: the same copy');
  await addPair(1);
  const second = await snapshots.current();
  assert.equal(second.pairs, 1);
  assert.ok(second.atMs > first.atMs);
  await addPair(2);
  const third = await snapshots.current();
  assert.equal(third.pairs, 2);
  assert.equal(await snapshotsInTable(), 1, 'older copies are dropped');
});

test('a slow store answers from the previous copy and refreshes in the background, at most once per interval', async () => {
  // Every refresh counts as slow here.
  const snapshots = new PairSnapshots(store, { waitBelowSeconds: 0, minIntervalMs: 0 });
  const before = await snapshots.current();
  await addPair(3);
  const stale = await snapshots.current();
  assert.equal(stale.at, before.at);
  assert.equal(stale.changed, true);
  assert.equal(stale.refreshing, true);
  await snapshots.settle();
  const fresh = await snapshots.current();
  assert.equal(fresh.pairs, before.pairs + 1);
  assert.equal(fresh.changed, false);
  // With a long interval a change does not start another refresh right after one.
  const patient = new PairSnapshots(store, { waitBelowSeconds: 0, minIntervalMs: 3_600_000 });
  await patient.refresh();
  await addPair(4);
  const held = await patient.current();
  assert.equal(held.pairs, fresh.pairs);
  assert.deepEqual([held.changed, held.refreshing], [true, false]);
  await patient.settle();
  assert.equal((await patient.current()).pairs, fresh.pairs, 'no refresh within the interval');
});

test('a page waits a bounded time for a copy, then answers without one while it goes on', async () => {
  const snapshots = new PairSnapshots(store);
  await addPair(5);
  assert.equal(await snapshots.within(0), undefined, 'no wait: the copy is still being taken');
  await snapshots.settle();
  const done = await snapshots.within(10_000);
  assert.ok(done && !done.changed);
});

test('a replaced setting is a change even once a merge has folded the old row away', async () => {
  const snapshots = new PairSnapshots(store);
  const setting = (value: string, at: string) =>
    store.insert('pair_settings', [{ Key: 'ui_snapshot_test', Value: value, UpdatedAt: at }]);
  await setting('1', '2024-01-01 00:00:00.000');
  await store.command('OPTIMIZE TABLE pair_settings FINAL');
  const before = await snapshots.current();
  // The same key again: two rows, merged back to one, so the table's row count is where it was.
  await setting('2', '2024-01-02 00:00:00.000');
  await store.command('OPTIMIZE TABLE pair_settings FINAL');
  const after = await snapshots.current();
  assert.ok(after.atMs > before.atMs, 'the copy was retaken');
});

test("the copy's time is UTC, and a newer copy being taken elsewhere is not dropped by an older one's prune", async () => {
  const snapshots = new PairSnapshots(store);
  const taken = await snapshots.current();
  assert.equal(taken.at, new Date(taken.atMs).toISOString().slice(0, 19).replace('T', ' '));
  // Another serve on the same store, part-way through a later copy.
  await store.insert('ui_pairs', [
    { SnapshotAt: '2099-01-01 00:00:00.000', pair_id: 'elsewhere', source: 'x' },
  ]);
  await addPair(6);
  await snapshots.current();
  const [row] = await store.query<{ n: string }>(
    "SELECT count() AS n FROM ui_pairs WHERE pair_id = 'elsewhere'",
  );
  assert.equal(Number(row!.n), 1);
  await store.command("ALTER TABLE ui_pairs DELETE WHERE pair_id = 'elsewhere'");
});

test('pages asking at the same time share one copy', async () => {
  const snapshots = new PairSnapshots(store);
  await snapshots.current();
  const count = async () =>
    Number((await store.query<{ n: string }>('SELECT count() AS n FROM ui_snapshots'))[0]!.n);
  const before = await count();
  await addPair(7);
  const [a, b, c] = await Promise.all([snapshots.current(), snapshots.current(), snapshots.current()]);
  assert.equal(a.at, b.at);
  assert.equal(b.at, c.at);
  assert.equal(await count(), before + 1, 'one copy taken');
});
