// The annotator's queue names items by a random item_id, never by the pair id: the pair id hashes the
// prompt, chosen and rejected hashes in that order, so an annotator who hashed both orders of what the page
// shows could tell which answer is chosen. The queue's answer carries no pair id and no hash of the pair;
// labels by item id reach the right pair; undo answers with the item id; migration 0243 gives the rows
// sampled before it an id once, stable across reads and merges.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reviewRoutes } from '../../../src/labels/reviewRoutes.js';
import { sampleReview } from '../../../src/labels/sampleReview.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { migrate, MIGRATION_FOLDERS } from '../../../src/sink/migrate.js';
import type { Store } from '../../../src/sink/Store.js';
import { annotate, ask, insertSpans, llmSpan, tempStore } from '../../helpers/traces.js';

let store: Store;
let storeDir: string;
let cleanup: () => Promise<void>;
let server: Server;
let base: string;

before(async () => {
  const t = await tempStore('review-item-ids');
  store = t.store;
  storeDir = t.dir;
  cleanup = t.cleanup;
  const spans = Array.from({ length: 4 }, (_, i) => [
    annotate(llmSpan({ prompt: ask(`item q ${i}`), response: `good ${i}`, time: i * 10 }), { up: true }),
    annotate(llmSpan({ prompt: ask(`item q ${i}`), response: `bad ${i}`, time: i * 10 + 1 }), { up: false }),
  ]).flat();
  await insertSpans(store, spans);
  const s = await sampleReview(store, { n: 4, annotators: ['ann', 'bob'], perItem: 2, seed: 3 });
  assert.equal(s.assignments, 8);
  // The review routes alone, auth off (no token env): the caller names the annotator.
  const routes = reviewRoutes(store, { env: {} });
  server = createServer((req, res) => {
    const route = routes.find(
      (r) => r.method === req.method && r.path === new URL(req.url!, 'http://x').pathname,
    );
    if (!route) {
      res.statusCode = 404;
      res.end();
      return;
    }
    void route.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await cleanup();
});

const call = async (path: string, body?: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, text: await res.text() };
};

interface PairHashes {
  pair_id: string;
  prompt_hash: string;
  chosen_hash: string;
  rejected_hash: string;
  chosen_span_id: string;
  rejected_span_id: string;
}

/** Every hash of the sampled pairs (and their span ids): none may appear in what an annotator is sent. */
async function pairSecrets(): Promise<string[]> {
  const rows = await store.query<PairHashes>(
    `SELECT p.pair_id AS pair_id, p.prompt_hash AS prompt_hash, c.ResponseHash AS chosen_hash,
            r.ResponseHash AS rejected_hash, p.chosen_span_id AS chosen_span_id,
            p.rejected_span_id AS rejected_span_id
     FROM preference_pairs AS p
     LEFT ANY JOIN llm_span_keys AS c ON c.SpanId = p.chosen_span_id
     LEFT ANY JOIN llm_span_keys AS r ON r.SpanId = p.rejected_span_id
     WHERE p.pair_id IN (SELECT pair_id FROM review_assignments)`,
  );
  assert.equal(rows.length, 4);
  return rows.flatMap((r) => Object.values(r).map(String)).filter((v) => v !== '');
}

/** Every string anywhere in a JSON value. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

test('the queue answer carries item ids and nothing equal to any hash of the pair', async () => {
  const secrets = await pairSecrets();
  assert.ok(
    secrets.some((s) => /^[0-9a-f]{16,}$/.test(s)),
    'the pairs have hashes to look for',
  );
  for (const annotator of ['ann', 'bob']) {
    const q = await call(`/v1/review/queue?annotator=${annotator}&limit=100`);
    assert.equal(q.status, 200, q.text);
    const body = JSON.parse(q.text) as { items: Record<string, unknown>[] };
    assert.equal(body.items.length, 4);
    for (const item of body.items) {
      assert.deepEqual(Object.keys(item).sort(), ['a', 'b', 'item_id', 'prompt']);
      assert.match(String(item.item_id), /^[0-9a-f]{32}$/);
    }
    assert.doesNotMatch(q.text, /pair_id/);
    // One sampling: ordered by the random item id, not by a hash of the pair id (which the texts predict).
    const order = body.items.map((i) => String(i.item_id));
    assert.deepEqual(order, [...order].sort());
    const sent = new Set(stringsOf(body));
    for (const secret of secrets) {
      assert.ok(!sent.has(secret), `the queue sent a hash of the pair: ${secret}`);
      assert.ok(!q.text.includes(secret), `the queue's text holds a hash of the pair: ${secret}`);
    }
  }
  // Two annotators of one pair get different item ids.
  const ids = await store.query<{ n: string; ids: string }>(
    'SELECT count() AS n, uniqExact(item_id) AS ids FROM review_assignments',
  );
  assert.deepEqual(ids, [{ n: '8', ids: '8' }]);
});

test('labels by item id reach the pair; another annotator\u2019s item is refused; undo names the item', async () => {
  const q = JSON.parse((await call('/v1/review/queue?annotator=ann&limit=100')).text) as {
    items: { item_id: string; a: string }[];
  };
  const bobs = JSON.parse((await call('/v1/review/queue?annotator=bob&limit=100')).text) as {
    items: { item_id: string }[];
  };
  const [first, second] = q.items;
  // One batch with a foreign item: refused whole, every problem listed, nothing stored.
  const refused = await call('/v1/review/labels', [
    { item_id: first!.item_id, annotator_id: 'ann', choice: 'a' },
    { item_id: bobs.items[0]!.item_id, annotator_id: 'ann', choice: 'a' },
    { item_id: 'f'.repeat(32), annotator_id: 'ann', choice: 'b' },
  ]);
  assert.equal(refused.status, 400, refused.text);
  assert.deepEqual(JSON.parse(refused.text).problems, [
    `row 1: unknown item "${bobs.items[0]!.item_id}" (not one of ann's review items)`,
    `row 2: unknown item "${'f'.repeat(32)}" (not one of ann's review items)`,
  ]);
  assert.equal(Number((await store.query<{ n: string }>('SELECT count() AS n FROM review_labels'))[0]!.n), 0);

  const ok = await call('/v1/review/labels', { item_id: first!.item_id, annotator_id: 'ann', choice: 'a' });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(JSON.parse(ok.text), { stored: 1, unchanged: 0 });
  // A double press by item id stores nothing more.
  const again = await call('/v1/review/labels', {
    item_id: first!.item_id,
    annotator_id: 'ann',
    choice: 'a',
  });
  assert.deepEqual(JSON.parse(again.text), { stored: 0, unchanged: 1 });
  // The label is the pair's, mapped with ann's own A/B order: A ("good …") is the chosen answer.
  const [stored] = await store.query<{ preferred: string; item_id: string }>(
    `SELECT l.preferred AS preferred, a.item_id AS item_id FROM review_labels_current AS l
     JOIN review_assignments AS a ON a.pair_id = l.pair_id AND a.annotator_id = l.annotator_id
     WHERE l.annotator_id = 'ann'`,
  );
  assert.equal(stored!.item_id, first!.item_id);
  assert.equal(stored!.preferred, first!.a.startsWith('good') ? 'chosen' : 'rejected');
  // DESIGN.md's shape still works for trusted callers.
  const [pair] = await store.query<{ pair_id: string }>(
    'SELECT pair_id FROM review_assignments WHERE item_id = {i:String}',
    { i: second!.item_id },
  );
  const byPair = await call('/v1/review/labels', {
    pair_id: pair!.pair_id,
    annotator_id: 'ann',
    preferred: 'tie',
  });
  assert.equal(byPair.status, 200, byPair.text);

  const undone = await call('/v1/review/undo', { annotator_id: 'ann' });
  assert.equal(undone.status, 200, undone.text);
  assert.deepEqual(JSON.parse(undone.text), { item_id: second!.item_id });
});

test('migration 0243 gives rows sampled before it an item id once: stable across reads and merges', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-item-migration-'));
  // A store as an older prefloop left it: every migration but 0243.
  const older = join(dir, 'migrations');
  cpSync(MIGRATION_FOLDERS[1]!, older, { recursive: true });
  rmSync(join(older, '0243_review_item_ids.sql'));
  // Another database in the same folder (the engine opens one folder per process); it runs last, as its
  // store makes its database the session's default.
  const old = new ChdbStore(storeDir, 'older_prefloop');
  try {
    await migrate(old, { folders: [MIGRATION_FOLDERS[0]!, older, MIGRATION_FOLDERS[2]!] });
    const row = (pair_id: string, annotator_id: string) => ({
      sample_id: 'old',
      pair_id,
      annotator_id,
      source: 'feedback',
      stratum: 'feedback',
      a_is_chosen: 1,
      prompt: '',
      chosen: '',
      rejected: '',
      chosen_span_id: '',
      rejected_span_id: '',
      assigned_at: '1000',
    });
    // Two inserts: two parts, so a merge below has something to merge.
    await old.insert('review_assignments', [row('p1', 'ann'), row('p1', 'bob')]);
    await old.insert('review_assignments', [row('p2', 'ann'), row('p2', 'bob')]);
    const result = await migrate(old);
    assert.ok(result.applied.includes('0243_review_item_ids.sql'));
    const read = () =>
      old.query<{ pair_id: string; annotator_id: string; item_id: string }>(
        'SELECT pair_id, annotator_id, item_id FROM review_assignments ORDER BY pair_id, annotator_id',
      );
    const first = await read();
    assert.equal(first.length, 4);
    for (const r of first) assert.match(r.item_id, /^[0-9a-f]{32}$/);
    assert.equal(new Set(first.map((r) => r.item_id)).size, 4);
    assert.deepEqual(await read(), first, 'a second read gives the same ids');
    await old.command('OPTIMIZE TABLE older_prefloop.review_assignments FINAL');
    assert.deepEqual(await read(), first, 'a merge keeps the ids');
    assert.deepEqual((await migrate(old)).applied, [], 'runs once');
    assert.deepEqual(await read(), first);
  } finally {
    await old.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});
