// Done means (issue 24): pairs in the store → `review sample` → labels through the HTTP API from simulated
// annotators with known agreement → bands → `export` leaves out exactly what it should and says why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/loadConfig.js';
import { startPrefloop } from '../../../src/serve/startPrefloop.js';
import type { RunningPrefloop } from '../../../src/serve/startPrefloop.js';
import { annotate, ask, insertSpans, llmSpan, tempStore } from '../../helpers/traces.js';
import { runInProcess } from '../faults/cliHarness.js';

const INGEST = 'PREFLOOP_TEST_INGEST';
const ANNOTATORS_ENV = 'PREFLOOP_TEST_ANNOTATORS';
const NAMES = ['ann', 'bob', 'cy', 'dan'];
const tokenOf = (a: string) => `tok-${a}`;
const env = { [INGEST]: 'admin-token', [ANNOTATORS_ENV]: NAMES.map((a) => `${a}:${tokenOf(a)}`).join(',') };
const PAIRS = 20;

let root: string;
let folder: string;
let storeArgs: string[];

const configText = (bands = '') => `
receivers: { otlp: { protocols: { http: { auth: { bearer_tokens_env: ${INGEST} } } } } }
exporters: { clickhouse: {} }
service: { pipelines: { traces: { receivers: [otlp], exporters: [clickhouse] } } }
review: { annotator_tokens_env: ${ANNOTATORS_ENV}${bands} }
`;

before(async () => {
  const t = await tempStore('review-e2e');
  folder = t.dir;
  root = mkdtempSync(join(tmpdir(), 'prefloop-review-e2e-out-'));
  storeArgs = ['--store', `embedded:${folder}`];
  // One feedback pair per prompt: "good i" thumbed up, "bad i" thumbed down.
  const spans = Array.from({ length: PAIRS }, (_, i) => [
    annotate(llmSpan({ prompt: ask(`question ${i}`), response: `good ${i}`, time: i * 10 }), { up: true }),
    annotate(llmSpan({ prompt: ask(`question ${i}`), response: `bad ${i}`, time: i * 10 + 1 }), {
      up: false,
    }),
  ]).flat();
  await insertSpans(t.store, spans);
  await t.store.close();
});
after(() => {
  rmSync(folder, { recursive: true, force: true, maxRetries: 5 });
  rmSync(root, { recursive: true, force: true, maxRetries: 5 });
});

async function serve(bands = ''): Promise<RunningPrefloop> {
  return startPrefloop({
    config: parseConfig(configText(bands), 'review.yaml', env),
    storeUrl: `embedded:${folder}`,
    endpoint: '127.0.0.1:0',
    env,
  });
}

interface QueueItem {
  item_id: string;
  prompt: { role: string; content: string }[];
  a: string;
  b: string;
}

const call = async (
  url: string,
  token: string | undefined,
  init: { method?: string; body?: unknown } = {},
) => {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** What the three assignees of each sampled pair say, by the pair's rank among the sampled (by question number). */
function plan(rank: number): string[] {
  if (rank < 4) return ['chosen', 'chosen', 'chosen']; // unanimous: train
  if (rank < 8) return ['rejected', 'rejected', 'rejected']; // unanimous the other way: train, flipped
  if (rank < 10) return ['rejected', 'rejected', 'chosen']; // split 2–1: discard by default
  return ['chosen', 'rejected', 'tie']; // no majority: void
}

const questionOf = (item: QueueItem) => Number(/question (\d+)/.exec(item.prompt[0]!.content)![1]);
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test('sample → labels over HTTP → bands → gated export, with the reasons in the manifest', async () => {
  const sampled = await runInProcess([
    'review',
    'sample',
    '--n',
    '12',
    '--annotators',
    NAMES.join(','),
    '--per-item',
    '3',
    '--seed',
    '7',
    '--format',
    'json',
    ...storeArgs,
  ]);
  assert.equal(sampled.code, 0, sampled.stderr);
  const s = JSON.parse(sampled.stdout);
  assert.equal(s.pairs, 12);
  assert.equal(s.assignments, 36);
  assert.deepEqual(Object.values(s.load), [9, 9, 9, 9], 'balanced load');

  const running = await serve();
  try {
    const base = running.url;
    // Each annotator's queue through their own token; nothing in it says which answer is chosen.
    const queues = new Map<string, QueueItem[]>();
    for (const a of NAMES) {
      const q = await call(`${base}/v1/review/queue?annotator=${a}&limit=100`, tokenOf(a));
      assert.equal(q.status, 200, JSON.stringify(q.body));
      assert.equal(q.body.total, 9);
      assert.equal(q.body.done, 0);
      const items = q.body.items as QueueItem[];
      assert.equal(items.length, 9);
      assert.deepEqual(Object.keys(items[0]!).sort(), ['a', 'b', 'item_id', 'prompt']);
      queues.set(a, items);
    }
    // Another annotator's queue, another's labels, the reviewer's views: refused for an annotator token.
    assert.equal((await call(`${base}/v1/review/queue?annotator=bob`, tokenOf('ann'))).status, 403);
    const foreign = queues.get('bob')![0]!;
    const [foreignPair] = await running.store.query<{ pair_id: string }>(
      'SELECT pair_id FROM review_assignments WHERE item_id = {i:String}',
      { i: foreign.item_id },
    );
    const stolen = await call(`${base}/v1/review/labels`, tokenOf('ann'), {
      body: { pair_id: foreignPair!.pair_id, annotator_id: 'bob', preferred: 'chosen' },
    });
    assert.equal(stolen.status, 403);
    // Bob's item id under ann's token: refused as unknown to ann, nothing stored.
    const byItem = await call(`${base}/v1/review/labels`, tokenOf('ann'), {
      body: { item_id: foreign.item_id, choice: 'a' },
    });
    assert.equal(byItem.status, 400, JSON.stringify(byItem.body));
    assert.match(JSON.stringify(byItem.body), /unknown item/);
    assert.equal((await call(`${base}/v1/review/disputes`, tokenOf('ann'))).status, 403);
    assert.equal((await call(`${base}/v1/review/queue?annotator=ann`, undefined)).status, 401);
    const resolve = { pair_id: foreignPair!.pair_id, resolution: 'void', reviewer: 'ann' };
    assert.equal(
      (await call(`${base}/v1/review/resolutions`, tokenOf('ann'), { body: resolve })).status,
      403,
    );
    const undoBob = { body: { annotator_id: 'bob' } };
    assert.equal((await call(`${base}/v1/review/undo`, tokenOf('ann'), undoBob)).status, 403);
    // An annotator token opens nothing outside review: the rest of the API needs an ingest token.
    const outside = await fetch(`${base}/v1/clusters`, {
      headers: { authorization: `Bearer ${tokenOf('ann')}` },
    });
    assert.equal(outside.status, 401);
    await outside.body?.cancel();

    // Who has each pair (one question per pair: items of one pair have different ids per annotator), and
    // each pair's rank among the sampled by question number.
    const holders = new Map<number, { question: number; annotators: string[] }>();
    for (const [a, items] of queues)
      for (const it of items) {
        const h = holders.get(questionOf(it)) ?? { question: questionOf(it), annotators: [] };
        h.annotators.push(a);
        holders.set(questionOf(it), h);
      }
    assert.equal(holders.size, 12);
    const ranked = [...holders].sort(([, x], [, y]) => x.question - y.question);
    const rankOf = new Map(ranked.map(([id], r) => [id, r]));
    // Every annotator answers with choice a/b, as the page does: the side showing the answer they prefer.
    for (const [a, items] of queues) {
      const labels = items.map((it) => {
        const h = holders.get(questionOf(it))!;
        const want = plan(rankOf.get(questionOf(it))!)[h.annotators.sort().indexOf(a)]!;
        const good = `good ${h.question}`;
        const choice = want === 'tie' ? 'tie' : (want === 'chosen') === (it.a === good) ? 'a' : 'b';
        return { item_id: it.item_id, choice };
      });
      const r = await call(`${base}/v1/review/labels`, tokenOf(a), { body: labels });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.stored, 9);
    }
    const again = await call(`${base}/v1/review/queue?annotator=ann`, tokenOf('ann'));
    assert.equal(again.body.done, 9);
    assert.deepEqual(again.body.items, []);
    // With default bands (0.5 / 0.7) three raters are either unanimous (train) or split (discard): no disputes.
    const disputes = await call(`${base}/v1/review/disputes`, 'admin-token');
    assert.deepEqual(disputes.body.disputes, []);
  } finally {
    await running.close();
  }

  // `prefloop agreement` reads the same labels: the dataset kappa it prints is the one the export gates on.
  const ag = await runInProcess(['agreement', '--format', 'json', ...storeArgs]);
  assert.equal(ag.code, 0, ag.stderr);
  const agreement = JSON.parse(ag.stdout);
  assert.equal(agreement.pairs, 12);
  assert.deepEqual(
    agreement.bands.map((b: { band: string; pairs: number }) => [b.band, b.pairs]),
    [
      ['discard', 4],
      ['train', 8],
    ],
  );

  const out = join(root, 'default');
  const r = await runInProcess(['export', '--format', 'dpo', '--holdout', '0', '--out', out, ...storeArgs]);
  assert.equal(r.code, 0, r.stderr);
  const m = manifestOf(out);
  // 8 train-band pairs out (4 flipped by people); 2 split pairs discarded, 2 voided; the 8 pairs nobody
  // reviewed are left out because feedback agrees with people on 4 of 12 (kappa under the floor).
  assert.equal(m.records, 8);
  assert.deepEqual(m.review_gate.left_out, {
    discard: 2,
    review_unresolved: 0,
    human_void: 2,
    source_below_floor: 8,
  });
  assert.deepEqual(m.review_gate.reviewed, { exported: 8, flipped: 4 });
  const feedback = m.review_gate.sources.find((x: { source: string }) => x.source === 'feedback');
  assert.equal(feedback.items, 12);
  assert.equal(feedback.status, 'below_floor');
  assert.ok(feedback.kappa < 0.5 && feedback.ci_low <= feedback.kappa && feedback.kappa <= feedback.ci_high);
  assert.equal(m.review_gate.annotators.pairs, 12);
  assert.equal(typeof m.review_gate.annotators.fleiss_kappa.value, 'number');
  assert.equal(typeof m.review_gate.annotators.krippendorff_alpha.value, 'number');
  assert.ok(Math.abs(m.review_gate.annotators.fleiss_kappa.value - agreement.fleiss_kappa.value) < 1e-9);
  assert.match(r.stdout, /left out by review: 2 discard, 2 human void, 8 source below floor/);
  const rows = lines(join(out, 'train.jsonl'));
  const flipped = rows.filter((x) => String(x.chosen).startsWith('bad '));
  assert.equal(flipped.length, 4, 'people preferred the thumbed-down answer: the pair is flipped');
  for (const x of rows) {
    const meta = x.metadata as Record<string, unknown>;
    assert.equal(meta.band, 'train');
    assert.equal(meta.annotator_agreement, 1);
    assert.ok(meta.feedback, 'the source metadata is kept');
  }

  // The override keeps the unreviewed pairs of the source under the floor; the discard band stays out.
  const all = join(root, 'all');
  const r2 = await runInProcess([
    'export',
    '--format',
    'dpo',
    '--holdout',
    '0',
    '--include-unreviewed',
    '--out',
    all,
    ...storeArgs,
  ]);
  assert.equal(r2.code, 0, r2.stderr);
  assert.equal(manifestOf(all).records, 16);
  assert.equal(manifestOf(all).review_gate.included_unreviewed, 8);
});

test('configured bands: split pairs become disputes, a resolution lets one through', async () => {
  const bands = ', bands: { discard_below: -0.5, train_from: 0.7 }';
  const config = join(root, 'prefloop.yaml');
  writeFileSync(config, configText(bands));
  const running = await serve(bands);
  let resolvedId: string;
  try {
    const base = running.url;
    // The thresholds are written at start-up; the dispute list reads them.
    let d: Array<{ pair_id: string; labels: unknown[]; majority: string }> = [];
    for (let i = 0; i < 50 && d.length === 0; i++) {
      d = (await call(`${base}/v1/review/disputes`, 'admin-token')).body.disputes as typeof d;
      if (d.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(d.length, 2, 'the two 2–1 pairs are in the review band');
    assert.equal(d[0]!.labels.length, 3);
    assert.equal(d[0]!.majority, 'rejected');
    resolvedId = d[0]!.pair_id;
    const bad = await call(`${base}/v1/review/resolutions`, 'admin-token', {
      body: [{ pair_id: 'nope', resolution: 'maybe', reviewer: '' }],
    });
    assert.equal(bad.status, 400);
    assert.equal((bad.body.problems as string[]).length, 3);
    const ok = await call(`${base}/v1/review/resolutions`, 'admin-token', {
      body: { pair_id: resolvedId, resolution: 'chosen', reviewer: 'lead' },
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const left = await call(`${base}/v1/review/disputes`, 'admin-token');
    assert.equal((left.body.disputes as unknown[]).length, 1);
  } finally {
    await running.close();
  }
  const out = join(root, 'bands');
  const r = await runInProcess([
    'export',
    '--format',
    'dpo',
    '--holdout',
    '0',
    '--out',
    out,
    '--config',
    config,
    ...storeArgs,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const m = manifestOf(out);
  assert.equal(m.records, 9, '8 train pairs and the resolved one');
  assert.deepEqual(m.review_gate.left_out, {
    discard: 0,
    review_unresolved: 1,
    human_void: 2,
    source_below_floor: 8,
  });
  const resolved = lines(join(out, 'train.jsonl')).find((x) => x.pair_id === resolvedId)!;
  assert.match(String(resolved.chosen), /^good /, 'the reviewer kept the pair as it stood');
  assert.equal((resolved.metadata as Record<string, unknown>).resolved, true);
});
