// The Path B loop end to end on the real engine: OTLP spans into a running serve → the default rubric file
// fails the refusals → serve's clustering schedule clusters them → a local OpenAI-compatible judge names
// the cluster and proposes a fix → the fix is re-scored by the rubric file and passes → a `cluster` pair
// in preference_pairs → `prefloop export` writes it with the cluster's metadata. Then the fixes API: bad
// input refused with every problem, a fix that fails rescoring never pairs, a newer fix replaces the pair,
// a person's review rejects or edits it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTraceRequest } from '../../../bench/otlpWire.js';
import type { WireSpan } from '../../../bench/otlpWire.js';
import { parseConfig } from '../../../src/config/loadConfig.js';
import { PATHS } from '../../../src/names.js';
import { startPrefloop } from '../../../src/serve/startPrefloop.js';
import type { RunningPrefloop } from '../../../src/serve/startPrefloop.js';
import { runCli, runInProcess } from '../faults/cliHarness.js';
import { startOpenAiServer } from '../../helpers/openaiServer.js';
import type { OpenAiServer } from '../../helpers/openaiServer.js';
import { until } from '../../helpers/until.js';

const topics = ['refund', 'invoice', 'shipment', 'password', 'subscription', 'account'];
const GOOD_FIX =
  'To get a refund for your order, open Orders, pick the order and press Refund; the money is back within five days.';

let root: string;
let judge: OpenAiServer;
let serve: RunningPrefloop;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const spanIdOf = (k: number) => hex(0xc100 + k, 16);

/** Spans 0–5 refuse a benign question; 6–11 talk about the weather instead (incomplete). */
function failing(k: number): WireSpan {
  const start = BigInt(Date.now() - 60_000 + k) * 1_000_000n;
  const topic = topics[k % topics.length]!;
  const prompt = `How do I get a ${topic} for my order?`;
  const answer =
    k < topics.length
      ? `Sorry, I cannot help with a ${topic}; I must decline.`
      : `The weather today is sunny and warm, perfect for a walk in the park number ${k}.`;
  return {
    traceId: hex(0xc100 + k, 32),
    spanId: spanIdOf(k),
    name: 'ChatCompletion',
    kind: 3,
    startTimeUnixNano: start,
    endTimeUnixNano: start + 1_000_000n,
    attributes: [
      ['openinference.span.kind', 'LLM'],
      ['llm.model_name', 'shop-bot'],
      ['llm.input_messages.0.message.role', 'user'],
      ['llm.input_messages.0.message.content', prompt],
      ['llm.output_messages.0.message.role', 'assistant'],
      ['llm.output_messages.0.message.content', answer],
    ],
    statusCode: 1,
  };
}

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${serve.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

interface ClusterRow {
  id: string;
  name: string;
  exemplarSpanId: string;
  fixStatus: string;
  fixResponse: string;
  diagnosis: string;
}

async function clusters(): Promise<ClusterRow[]> {
  return (await (await fetch(`${serve.url}${PATHS.clusters}`)).json()) as ClusterRow[];
}

async function clusterPairs(): Promise<{ chosen: string; rejected: string; metadata: string }[]> {
  return serve.store.query(
    "SELECT chosen, rejected, metadata FROM preference_pairs WHERE source = 'cluster' ORDER BY chosen",
  );
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'prefloop-cluster-loop-'));
  // The refusals get a fix the rubrics pass; the weather answers one they fail (never a pair).
  judge = await startOpenAiServer((request) => ({
    content:
      '```json\n' +
      JSON.stringify(
        /decline/.test(request.messages[1]!.content)
          ? {
              name: 'Refuses order help',
              diagnosis: 'Benign order questions are declined as if harmful.',
              immediate_fix: GOOD_FIX,
            }
          : { name: 'Talks about the weather', diagnosis: 'Off topic.', immediate_fix: 'Sunny.' },
      ) +
      '\n```',
  }));
  const config = parseConfig(
    `
receivers: { otlp: {} }
processors: { rubrics: {} }
exporters: { clickhouse: {} }
service:
  pipelines:
    traces: { receivers: [otlp], processors: [rubrics], exporters: [clickhouse] }
clustering:
  enabled: true
  interval: 300ms
  window: 1h
  min_cluster_size: 3
  judge: { endpoint: "${judge.baseUrl}", model: loop-judge }
`,
    'loop.yaml',
    {},
  );
  serve = await startPrefloop({
    config,
    storeUrl: `embedded:${join(root, 'store')}`,
    endpoint: '127.0.0.1:0',
    cwd: root,
    env: {},
  });
  const res = await fetch(`${serve.url}${PATHS.traces}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-protobuf' },
    body: encodeTraceRequest([
      { resource: [['service.name', 'shop']], spans: [...topics, ...topics].map((_, k) => failing(k)) },
    ]),
  });
  assert.equal(res.status, 200);
  await serve.flush();
});

after(async () => {
  await serve?.close();
  await judge?.close();
  rmSync(root, { recursive: true, force: true, maxRetries: 5 });
});

test('failing spans → scheduled cluster → judged fix re-scored → a cluster pair with its metadata', async () => {
  // The run stores the clusters, then re-scores and files each judged fix in turn.
  const rescored = async () => {
    const listed = await clusters();
    return listed.length === 2 && listed.every((c) => c.fixStatus === 'passed' || c.fixStatus === 'failed');
  };
  await until('both judged fixes re-scored by the scheduled run', rescored, 60_000);
  const all = await clusters();
  const cluster = all.find((c) => c.name === 'Refuses order help');
  assert.equal(cluster!.name, 'Refuses order help');
  const weather = all.find((c) => c.name === 'Talks about the weather')!;
  assert.equal(weather.fixStatus, 'failed', 'the judge\u2019s fix that fails the rubrics is kept and marked');
  assert.equal(cluster!.fixStatus, 'passed');
  assert.equal(cluster!.fixResponse, GOOD_FIX);
  const pairsNow = await clusterPairs();
  assert.equal(pairsNow.length, 1, 'only the passing fix pairs');
  const [pair] = pairsNow;
  assert.equal(pair!.chosen, GOOD_FIX);
  assert.match(pair!.rejected, /I must decline/);
  const meta = (JSON.parse(pair!.metadata) as { cluster: Record<string, unknown> }).cluster;
  assert.equal(meta.cluster_id, cluster!.id);
  assert.equal(meta.cluster_name, 'Refuses order help');
  assert.equal(meta.diagnosis, 'Benign order questions are declined as if harmful.');
  assert.equal(meta.fixed_by, 'judge:loop-judge');
  assert.equal(meta.fix_status, 'passed');
  const scores = meta.fix_scores as { rubric: string; passed: boolean; required: boolean }[];
  assert.ok(
    scores.some((s) => s.required && s.passed),
    'the rubrics the exemplar failed now pass',
  );
  assert.ok(scores.filter((s) => s.required).every((s) => s.passed));
});

test('POST fixes: bad input refused listing every problem; a failing fix never pairs; a newer fix replaces the pair; review', async () => {
  await until('the cluster', async () => (await clusterPairs()).length > 0, 60_000);
  const cluster = (await clusters()).find((c) => c.name === 'Refuses order help');
  const bad = await post(PATHS.clusterFixes, {
    cluster_id: 'c_nope',
    exemplar_span_id: 'ffffffffffffffff',
    fix_response: 'x',
    fixed_by: 'ana',
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json.problems, [
    'cluster_id: no cluster "c_nope"',
    'exemplar_span_id: no LLM span "ffffffffffffffff"',
  ]);
  const missing = await post(PATHS.clusterFixes, { cluster_id: cluster!.id });
  assert.equal(missing.status, 400);
  assert.equal((missing.json.problems as string[]).length, 3);

  const other = topics.map((_, k) => spanIdOf(k)).find((s) => s !== cluster!.exemplarSpanId)!;
  const failing = await post(PATHS.clusterFixes, {
    cluster_id: cluster!.id,
    exemplar_span_id: other,
    fix_response: 'Sorry, I cannot help with that.',
    fixed_by: 'ana',
  });
  assert.equal(failing.status, 200, JSON.stringify(failing.json));
  assert.equal(failing.json.status, 'failed');
  assert.ok((failing.json.reasons as string[]).length > 0);
  assert.deepEqual(await clusterPairs(), [], 'a failing fix never pairs, and it replaced the passing one');

  const personal =
    'To get a refund for your order, open Orders and press Refund; the money arrives within five days.';
  const passing = await post(PATHS.clusterFixes, {
    cluster_id: cluster!.id,
    exemplar_span_id: other,
    fix_response: personal,
    fixed_by: 'ana',
  });
  assert.equal(passing.json.status, 'passed', JSON.stringify(passing.json));
  let pairs = await clusterPairs();
  assert.deepEqual(
    pairs.map((p) => p.chosen),
    [personal],
  );
  assert.equal(JSON.parse(pairs[0]!.metadata).cluster.fixed_by, 'ana');

  const rejected = await post(PATHS.clusterFixReview, {
    cluster_id: cluster!.id,
    action: 'reject',
    reviewer: 'bo',
  });
  assert.equal(rejected.json.status, 'rejected');
  assert.deepEqual(await clusterPairs(), []);
  const approveRejected = await post(PATHS.clusterFixReview, {
    cluster_id: cluster!.id,
    action: 'approve',
    reviewer: 'bo',
  });
  assert.equal(approveRejected.status, 400);
  const edited = await post(PATHS.clusterFixReview, {
    cluster_id: cluster!.id,
    action: 'edit',
    reviewer: 'bo',
    fix_response: GOOD_FIX,
  });
  assert.equal(edited.json.status, 'approved', JSON.stringify(edited.json));
  pairs = await clusterPairs();
  assert.deepEqual(
    pairs.map((p) => JSON.parse(p.metadata).cluster.fix_status),
    ['approved'],
  );
  const listed = (await clusters()).find((c) => c.id === cluster!.id)!;
  assert.equal(listed.fixStatus, 'approved');
});

test('prefloop cluster from another process refuses the folder serve holds, naming the schedule', async () => {
  const r = await runCli(['cluster', '--store', `embedded:${join(root, 'store')}`], 60_000);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /serve \(pid \d+\) holds .*read-only.*clustering: in prefloop\.yaml/);
});

test('prefloop export writes the cluster pair with its cluster metadata', async () => {
  // After serve stops, so the export reads the folder itself: chDB cannot stream a query while another
  // runs on the same session, and serve's schedule keeps querying (left to the store to serialise).
  await serve.close();
  const out = join(root, 'export');
  const exported = await runInProcess([
    'export',
    '--format',
    'dpo',
    '--out',
    out,
    '--holdout',
    '0',
    '--store',
    `embedded:${join(root, 'store')}`,
  ]);
  assert.equal(exported.code, 0, exported.stderr);
  const rows = readFileSync(join(out, 'train.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { chosen: unknown; metadata: { cluster?: Record<string, unknown> } });
  const cluster = rows.filter((r) => r.metadata.cluster !== undefined);
  assert.equal(cluster.length, 1, JSON.stringify(rows));
  const meta = cluster[0]!.metadata.cluster!;
  assert.equal(meta.cluster_name, 'Refuses order help');
  assert.equal(meta.diagnosis, 'Benign order questions are declined as if harmful.');
  assert.equal(meta.fixed_by, 'bo');
  assert.equal(meta.fix_status, 'approved');
  assert.match(String(meta.cluster_id), /^c_/);
  const scores = meta.fix_scores as { required: boolean; passed: boolean }[];
  assert.ok(scores.some((x) => x.required) && scores.filter((x) => x.required).every((x) => x.passed));
});
