// Labels in the store: a refused batch stores nothing, a changed label keeps its history, a repeat is a
// no-op, undo retracts and puts the item back in the queue; `review import` does the same from JSONL; the
// bands pair_review computes in SQL match the statistics module's per-item Fleiss term; preference_pairs flips what people reject and leaves unlabelled pairs as they were.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleissItemAgreement } from '../../../src/labels/stats/fleiss.js';
import { sampleReview } from '../../../src/labels/sampleReview.js';
import { annotatorQueue, LabelProblems, storeLabels, undoLast } from '../../../src/labels/reviewStore.js';
import type { Store } from '../../../src/sink/Store.js';
import { annotate, ask, insertSpans, llmSpan, tempStore } from '../../helpers/traces.js';
import { runInProcess } from '../faults/cliHarness.js';

let store: Store;
let dir: string;
let pairs: string[];
let beforeLabels: Map<string, PairRow>;

interface PairRow {
  pair_id: string;
  chosen: string;
  rejected: string;
  chosen_span_id: string;
  rejected_span_id: string;
  margin: number;
  metadata: string;
}
const PAIR_ROWS =
  'SELECT pair_id, chosen, rejected, chosen_span_id, rejected_span_id, margin, metadata FROM preference_pairs';
const pairRows = async () => new Map((await store.query<PairRow>(PAIR_ROWS)).map((r) => [r.pair_id, r]));

before(async () => {
  const t = await tempStore('review-store');
  store = t.store;
  dir = t.dir;
  const spans = Array.from({ length: 6 }, (_, i) => [
    annotate(llmSpan({ prompt: ask(`q ${i}`), response: `good ${i}`, time: i * 10 }), { up: true }),
    annotate(llmSpan({ prompt: ask(`q ${i}`), response: `bad ${i}`, time: i * 10 + 1 }), { up: false }),
  ]).flat();
  await insertSpans(store, spans);
  const s = await sampleReview(store, { n: 6, annotators: ['ann', 'bob', 'cy'], perItem: 3, seed: 1 });
  assert.equal(s.assignments, 18);
  pairs = s.items.map((i) => i.pair_id).sort();
  beforeLabels = await pairRows();
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

const count = async (sql: string) => Number((await store.query<{ n: string }>(sql))[0]!.n);

test('a second sample skips the pairs already sampled', async () => {
  const again = await sampleReview(store, { n: 5, annotators: ['ann'], perItem: 1, seed: 2 });
  assert.equal(again.candidates, 0);
  assert.equal(again.assignments, 0);
});

test('one bad row refuses the whole batch, listing every problem', async () => {
  await assert.rejects(
    storeLabels(
      store,
      [
        { pair_id: pairs[0], annotator_id: 'ann', preferred: 'chosen' },
        { pair_id: 'nope', annotator_id: 'ann', preferred: 'chosen' },
        { pair_id: pairs[0], annotator_id: 'eve', preferred: 'chosen' },
        { pair_id: pairs[1], annotator_id: 'ann', preferred: 'maybe' },
      ],
      { via: 'api' },
    ),
    (err: LabelProblems) => {
      assert.ok(err instanceof LabelProblems);
      assert.deepEqual(err.problems, [
        'row 1: unknown pair "nope" (never sampled for review)',
        'row 2: unknown annotator "eve" (no review assignments)',
        'row 3: preferred must be one of chosen, rejected, tie, skip, got "maybe"',
      ]);
      return true;
    },
  );
  await assert.rejects(
    storeLabels(
      store,
      [
        { pair_id: 'nope', annotator_id: 'ann', preferred: 'chosen' },
        { pair_id: pairs[0], annotator_id: 'eve', preferred: 'chosen' },
      ],
      { via: 'api' },
    ),
    (err: LabelProblems) => err.problems.length === 2,
  );
  assert.equal(await count('SELECT count() AS n FROM review_labels'), 0);
});

test('history: a changed label appends, the latest is current; a repeat stores nothing; undo retracts', async () => {
  const p = pairs[0]!;
  assert.deepEqual(
    await storeLabels(store, [{ pair_id: p, annotator_id: 'ann', preferred: 'chosen' }], { via: 'api' }),
    {
      stored: 1,
      unchanged: 0,
    },
  );
  assert.deepEqual(
    await storeLabels(store, [{ pair_id: p, annotator_id: 'ann', preferred: 'chosen' }], { via: 'api' }),
    {
      stored: 0,
      unchanged: 1,
    },
  );
  await storeLabels(store, [{ pair_id: p, annotator_id: 'ann', preferred: 'rejected' }], { via: 'ui' });
  const history = await store.query<{ preferred: string }>(
    'SELECT preferred FROM review_labels WHERE pair_id = {p:String} ORDER BY labelled_at, label_id',
    { p },
  );
  assert.deepEqual(
    history.map((h) => h.preferred),
    ['chosen', 'rejected'],
  );
  const current = await store.query<{ preferred: string }>(
    "SELECT preferred FROM review_labels_current WHERE pair_id = {p:String} AND annotator_id = 'ann'",
    { p },
  );
  assert.deepEqual(current, [{ preferred: 'rejected' }]);
  assert.equal((await annotatorQueue(store, 'ann', 100)).done, 1);
  const undone = await undoLast(store, 'ann');
  assert.equal(undone?.pair_id, p);
  assert.equal(await count(`SELECT count() AS n FROM review_labels_current WHERE annotator_id = 'ann'`), 0);
  const q = await annotatorQueue(store, 'ann', 100);
  assert.equal(q.done, 0);
  assert.ok(
    q.items.some((i) => i.item_id === undone?.item_id),
    'the undone item is back in the queue, under the item id undo named',
  );
  assert.equal(await undoLast(store, 'ann'), undefined, 'nothing left to undo');
});

test('two identical labels sent at once (a double key press) store one row', async () => {
  const p = pairs[2]!;
  const row = { pair_id: p, annotator_id: 'bob', preferred: 'tie' };
  // Fixed past times, so the order of the labels and undos below does not hang on the clock.
  const t = Date.now() - 60_000;
  const results = await Promise.all([
    storeLabels(store, [row], { via: 'api', now: new Date(t) }),
    storeLabels(store, [row], { via: 'api', now: new Date(t) }),
  ]);
  assert.deepEqual(results.map((r) => r.stored).sort(), [0, 1]);
  assert.equal(
    await count(`SELECT count() AS n FROM review_labels WHERE pair_id = '${p}' AND annotator_id = 'bob'`),
    1,
  );
  // A double undo retracts two labels one after the other, never the same one twice.
  await storeLabels(store, [{ pair_id: pairs[3]!, annotator_id: 'bob', preferred: 'chosen' }], {
    via: 'api',
    now: new Date(t + 1),
  });
  const undone = await Promise.all([
    undoLast(store, 'bob', new Date(t + 2)),
    undoLast(store, 'bob', new Date(t + 2)),
  ]);
  assert.deepEqual(undone.map((u) => u?.pair_id).sort(), [pairs[2], pairs[3]].sort());
});

test('review import: JSONL, all or nothing, problems by line', async () => {
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(
    bad,
    `${JSON.stringify({ pair_id: pairs[1], annotator_id: 'bob', preferred: 'chosen' })}\n\nnot json\n${JSON.stringify({ pair_id: pairs[1], annotator_id: 'zed', preferred: 'chosen' })}\n`,
  );
  const r = await runInProcess(['review', 'import', bad, '--store', `embedded:${dir}`]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /line 3: not JSON/);
  const unknown = join(dir, 'unknown.jsonl');
  writeFileSync(
    unknown,
    `${JSON.stringify({ pair_id: pairs[1], annotator_id: 'zed', preferred: 'chosen' })}\n`,
  );
  const r2 = await runInProcess(['review', 'import', unknown, '--store', `embedded:${dir}`]);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /line 1: unknown annotator "zed"/);
  // Known agreement: pairs 1–3 unanimous, 4 split 2–1, 5 all different.
  const plan: Record<number, string[]> = {
    1: ['chosen', 'chosen', 'chosen'],
    2: ['rejected', 'rejected', 'rejected'],
    3: ['chosen', 'chosen', 'chosen'],
    4: ['chosen', 'chosen', 'rejected'],
    5: ['chosen', 'rejected', 'tie'],
  };
  const rows = Object.entries(plan).flatMap(([i, prefs]) =>
    ['ann', 'bob', 'cy'].map((a, j) => ({ pair_id: pairs[Number(i)], annotator_id: a, preferred: prefs[j] })),
  );
  const good = join(dir, 'good.jsonl');
  writeFileSync(good, rows.map((x) => JSON.stringify(x)).join('\n') + '\n');
  const ok = await runInProcess(['review', 'import', good, '--format', 'json', '--store', `embedded:${dir}`]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout), { stored: 15, unchanged: 0 });
  // pair_review's SQL agrees with the statistics module to six decimals.
  const review = await store.query<{
    pair_id: string;
    annotator_agreement: number;
    band: string;
    human_direction: string;
  }>('SELECT pair_id, annotator_agreement, band, human_direction FROM pair_review ORDER BY pair_id');
  const counts = Object.values(plan).map((prefs) =>
    ['chosen', 'rejected', 'tie'].map((c) => prefs.filter((p) => p === c).length),
  );
  const expected = fleissItemAgreement(counts).perItem;
  assert.equal(review.length, 5);
  review.forEach((row, i) => assert.ok(Math.abs(row.annotator_agreement - expected[i]!) < 1e-6));
  assert.deepEqual(
    review.map((r) => [r.band, r.human_direction]),
    [
      ['train', 'chosen'],
      ['train', 'rejected'],
      ['train', 'chosen'],
      ['discard', 'chosen'],
      ['discard', 'void'],
    ],
  );
});

test('preference_pairs: people flip a pair they disagree with, an unlabelled pair is exactly as before', async () => {
  // Runs after the import above: pair 0 has no label (undone), 1 is unanimous 'chosen', 2 unanimous 'rejected'.
  const now = await pairRows();
  assert.deepEqual(now.get(pairs[0]!), beforeLabels.get(pairs[0]!));
  const [kept, flipped] = [1, 2].map((i) => [beforeLabels.get(pairs[i]!)!, now.get(pairs[i]!)!] as const);
  assert.equal(kept![1].chosen, kept![0].chosen);
  assert.deepEqual(
    [flipped![1].chosen, flipped![1].rejected, flipped![1].chosen_span_id, flipped![1].rejected_span_id],
    [flipped![0].rejected, flipped![0].chosen, flipped![0].rejected_span_id, flipped![0].chosen_span_id],
  );
  assert.equal(flipped![1].pair_id, pairs[2]);
  const meta = JSON.parse(flipped![1].metadata) as Record<string, unknown>;
  const old = JSON.parse(flipped![0].metadata) as Record<string, unknown>;
  assert.deepEqual(meta, {
    ...old,
    annotator_agreement: 1,
    band: 'train',
    human_direction: 'rejected',
    human_labels: 3,
    resolved: false,
  });
});

test('export counts every discarded pair, even one whose agreement is far below −1', async () => {
  // Four pairs unanimous 'chosen' and two 2–1 splits: P_e = (16² + 2²) / 18² ≈ 0.80, so each split scores
  // (1/3 − 0.80) / 0.20 ≈ −2.4. Both must be left out as 'discard' and say so, not vanish.
  const unanimous = [0, 1, 2, 3].flatMap((i) =>
    ['ann', 'bob', 'cy'].map((a) => ({ pair_id: pairs[i], annotator_id: a, preferred: 'chosen' })),
  );
  const splits = [4, 5].flatMap((i) =>
    ['ann', 'bob', 'cy'].map((a) => ({
      pair_id: pairs[i],
      annotator_id: a,
      preferred: a === 'cy' ? 'rejected' : 'chosen',
    })),
  );
  await storeLabels(store, [...unanimous, ...splits], { via: 'api' });
  const bands = await store.query<{ band: string; a: number }>(
    'SELECT band, min(annotator_agreement) AS a FROM pair_review GROUP BY band ORDER BY band',
  );
  assert.deepEqual(
    bands.map((b) => b.band),
    ['discard', 'train'],
  );
  assert.ok(bands[0]!.a < -1, `a split scores ${bands[0]!.a}`);
  const out = join(dir, 'export-gated');
  const r = await runInProcess(['export', '--format', 'dpo', '--out', out, '--store', `embedded:${dir}`]);
  assert.equal(r.code, 0, r.stderr);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
    records: number;
    review_gate: { left_out: Record<string, number>; reviewed: { exported: number } };
  };
  assert.equal(manifest.records, 4);
  assert.deepEqual(manifest.review_gate.left_out, {
    discard: 2,
    review_unresolved: 0,
    human_void: 0,
    source_below_floor: 0,
  });
  assert.equal(manifest.review_gate.reviewed.exported, 4);
});
