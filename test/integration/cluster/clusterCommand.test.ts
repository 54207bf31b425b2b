// `prefloop cluster` and `prefloop clusters` end to end on the real engine (chDB): failing spans stored,
// clustered into named failure modes, ids kept by a second run, listed with trends; an empty window
// writes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { TABLES } from '../../../src/names.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { evaluationRow } from '../../../src/sink/rows.js';
import { runInProcess } from '../faults/cliHarness.js';
import { startEmbeddingsServer } from '../../helpers/embeddingsServer.js';
import { startOpenAiServer } from '../../helpers/openaiServer.js';
import { apiFeedback, ask, at, insertFeedback, insertSpans, llmSpan } from '../../helpers/traces.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-cluster-'));
const dir = join(root, 'data');
const store = ['--store', `embedded:${dir}`];
const window = ['--since', '2024-01-01T00:00:00Z', '--until', '2024-01-02T00:00:00Z'];
const topics = ['refunds', 'billing', 'shipping', 'passwords', 'invoices', 'accounts', 'exports', 'plans'];

before(async () => {
  const m = await runInProcess(['migrate', ...store]);
  assert.equal(m.code, 0, m.stderr);
  const db = new ChdbStore(dir, 'prefloop');
  try {
    const refusals = topics.map((t, k) =>
      llmSpan({
        prompt: ask(`How do ${t} work?`),
        response: `Sorry, I cannot help with ${t}; I must decline.`,
        time: k,
      }),
    );
    const citations = topics.map((t, k) =>
      llmSpan({
        prompt: ask(`Tell me about ${t}`),
        response: `According to a Harvard study, ${t} cite journals.`,
        time: 20 + k,
      }),
    );
    const fine = topics.map((t, k) =>
      llmSpan({ prompt: ask(`And ${t}?`), response: `Here is how ${t} work.`, time: 40 + k }),
    );
    await insertSpans(db, [...refusals, ...citations, ...fine]);
    const result = (span: (typeof fine)[number], rubricId: string, passed: boolean) =>
      evaluationRow({
        traceId: span.traceId,
        spanId: span.spanId,
        timeUnixNano: at(60),
        rubricId,
        rubricVersion: '1',
        score: passed ? 1 : 0,
        label: passed ? 'pass' : 'fail',
        explanation: '',
        annotatorKind: 'CODE',
        metadata: JSON.stringify({ passed, threshold: 0.5 }),
      });
    await db.insert(TABLES.evaluations, [
      ...refusals.map((s) => result(s, 'refusal', false)),
      ...fine.map((s) => result(s, 'refusal', true)),
    ]);
    // The citations fail by thumbs-down, not by a rubric.
    await insertFeedback(
      db,
      citations.map((s) => apiFeedback({ traceId: s.traceId, spanId: s.spanId, up: false })),
    );
  } finally {
    await db.close();
  }
});
after(() => rmSync(root, { recursive: true, force: true, maxRetries: 5 }));

interface Found {
  id: string;
  name: string;
  size: number;
  status: string;
  failingRubrics: string[];
  exemplar: { spanId: string; text: string };
}

test('cluster: two failure modes, named by their words and failures; a second run keeps their ids', async () => {
  const first = await runInProcess([
    'cluster',
    ...window,
    '--min-cluster-size',
    '4',
    '--format',
    'json',
    ...store,
  ]);
  assert.equal(first.code, 0, first.stderr);
  const one = JSON.parse(first.stdout) as { failing: number; clusters: Found[] };
  assert.equal(one.failing, 16);
  assert.equal(one.clusters.length, 2);
  const refusal = one.clusters.find((c) => c.failingRubrics.includes('refusal'))!;
  const thumbs = one.clusters.find((c) => c.failingRubrics.includes('thumbs_down'))!;
  assert.equal(refusal.size, 8);
  assert.match(refusal.exemplar.text, /cannot help/);
  assert.match(thumbs.name, /harvard|study|journals/);
  assert.ok(one.clusters.every((c) => c.status === 'new'));

  const second = await runInProcess([
    'cluster',
    ...window,
    '--min-cluster-size',
    '4',
    '--format',
    'json',
    ...store,
  ]);
  assert.equal(second.code, 0, second.stderr);
  const two = JSON.parse(second.stdout) as { embedded: number; clusters: Found[] };
  assert.deepEqual(two.clusters.map((c) => c.id).sort(), one.clusters.map((c) => c.id).sort());
  assert.ok(two.clusters.every((c) => c.status === 'seen before'));
  assert.equal(two.embedded, 0, 'the vectors of the first run are reused');

  const listed = await runInProcess(['clusters', '--format', 'json', ...store]);
  assert.equal(listed.code, 0, listed.stderr);
  const rows = listed.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; trend: string; size: number });
  assert.equal(rows.length, 2);
  assert.ok(rows.every((r) => r.trend === 'steady' && r.size === 8));
  const table = await runInProcess(['clusters', ...store]);
  assert.match(table.stdout, /steady/);
});

test('cluster: no failing spans in the window → a clear message, exit 0, nothing written', async () => {
  const before = await runInProcess([
    'sql',
    '--format',
    'json',
    'SELECT count() AS n FROM cluster_runs',
    ...store,
  ]);
  const r = await runInProcess([
    'cluster',
    '--since',
    '2090-01-01T00:00:00Z',
    '--until',
    '2091-01-01T00:00:00Z',
    ...store,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^no failing LLM spans from 2090-01-01T00:00:00.000Z to 2091-01-01T00:00:00.000Z; nothing clustered, nothing written\n$/,
  );
  const afterRun = await runInProcess([
    'sql',
    '--format',
    'json',
    'SELECT count() AS n FROM cluster_runs',
    ...store,
  ]);
  assert.equal(afterRun.stdout, before.stdout);
});

test('cluster --embedder openai: vectors from the endpoint, embedded once and reused by the next run', async () => {
  // A toy model: a refusal points one way, anything else another, so two clusters come out.
  const server = await startEmbeddingsServer((t) => (/cannot help/.test(t) ? [1, 0, 0] : [0, 1, 0]));
  try {
    const args = [
      'cluster',
      ...window,
      '--min-cluster-size',
      '4',
      '--format',
      'json',
      '--embedder',
      'openai',
    ];
    const remote = [...args, '--embed-url', server.baseUrl, '--embed-model', 'toy', ...store];
    const first = await runInProcess(remote, { PREFLOOP_EMBED_API_KEY: 'k' });
    assert.equal(first.code, 0, first.stderr);
    const one = JSON.parse(first.stdout) as { embedded: number; clusters: Found[] };
    assert.equal(one.embedded, 16);
    assert.equal(one.clusters.length, 2);
    const second = await runInProcess(remote);
    assert.equal((JSON.parse(second.stdout) as { embedded: number }).embedded, 0);
    assert.equal(server.requests.flat().length, 16, 'no text is sent twice');
  } finally {
    await server.close();
  }
});

test('cluster --embedder openai, endpoint unreachable: a warning, the lexical embedder for this run, recorded', async () => {
  // A port nothing listens on: every retry fails to connect.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const args = ['cluster', ...window, '--min-cluster-size', '4', '--format', 'json', '--embedder', 'openai'];
  const remote = [...args, '--embed-url', `http://127.0.0.1:${port}/v1`, '--embed-model', 'gone', ...store];
  const r = await runInProcess(remote);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /warning: embeddings http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings unreachable.*lexical embedder/,
  );
  const out = JSON.parse(r.stdout) as { embedder: string; clusters: Found[] };
  assert.equal(out.embedder, 'lexical (fallback from openai:gone)');
  assert.equal(out.clusters.length, 2);
  const runs = await runInProcess([
    'sql',
    '--format',
    'json',
    "SELECT DISTINCT Embedder FROM cluster_runs WHERE Embedder LIKE 'lexical (fallback%'",
    ...store,
  ]);
  assert.match(runs.stdout, /fallback from openai:gone/);
  const strict = await runInProcess([...remote, '--no-fallback']);
  assert.notEqual(strict.code, 0);
  assert.match(strict.stderr, /embeddings http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings unreachable/);
});

test('cluster with a judge: each cluster named, diagnosed and given a fix (fenced JSON read)', async () => {
  const judge = await startOpenAiServer((request) => {
    const refusal = /cannot help/.test(request.messages[1]!.content);
    const reply = refusal
      ? {
          name: 'Refuses benign questions',
          diagnosis: 'Declines harmless requests.',
          immediate_fix: 'Refunds take 5 days.',
        }
      : {
          name: 'Invented citations',
          diagnosis: 'Cites studies that do not exist.',
          immediate_fix: 'We have no study on this.',
        };
    return { content: '```json\n' + JSON.stringify(reply) + '\n```' };
  });
  try {
    const args = ['cluster', ...window, '--min-cluster-size', '4', '--format', 'json'];
    const r = await runInProcess([...args, '--judge-url', judge.baseUrl, '--judge-model', 'j', ...store]);
    assert.equal(r.code, 0, r.stderr);
    const { clusters } = JSON.parse(r.stdout) as {
      clusters: (Found & { diagnosis: string; immediateFix: string })[];
    };
    assert.deepEqual(clusters.map((c) => c.name).sort(), ['Invented citations', 'Refuses benign questions']);
    const refusal = clusters.find((c) => c.name === 'Refuses benign questions')!;
    assert.equal(refusal.diagnosis, 'Declines harmless requests.');
    assert.equal(refusal.immediateFix, 'Refunds take 5 days.');
    const listed = await runInProcess(['clusters', '--format', 'json', ...store]);
    const statuses = listed.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { fixStatus: string }).fixStatus);
    // The fixes were re-scored by the built-in rubric file: `refusal` (the test's own rubric) is not in it,
    // and a four-word answer is incomplete, so neither passes and neither may become a pair.
    assert.deepEqual(
      statuses.filter((s) => s !== 'none'),
      ['failed', 'failed'],
    );
    const { fixes } = JSON.parse(r.stdout) as { fixes: { required_rubrics: string[]; reasons: string[] }[] };
    const refusalFix = fixes.find((f) => f.required_rubrics.includes('refusal'))!;
    assert.match(refusalFix.reasons[0]!, /^refusal: failed by the exemplar but not in the rubric file/);
    const reportPath = join(root, 'clusters.md');
    const report = await runInProcess(['clusters', '--out', reportPath, ...store]);
    assert.equal(report.code, 0, report.stderr);
    const md = readFileSync(reportPath, 'utf8');
    assert.match(md, /^# Failure clusters/);
    assert.match(md, /## Refuses benign questions\n/);
    assert.match(md, /\*\*Exemplar prompt\*\*\n\n> user: How do \w+ work\?/);
    assert.match(md, /\*\*Exemplar answer\*\*\n\n> Sorry, I cannot help with \w+; I must decline\./);
    assert.match(md, /\*\*Diagnosis\*\*\n\nDeclines harmless requests\./);
    assert.match(md, /\*\*Fix\*\* \(failed, by judge:j\)\n\n> Refunds take 5 days\./);
    assert.match(md, /\| completeness \| 0 \| no \|/);
    const pairs = await runInProcess([
      'sql',
      '--format',
      'json',
      'SELECT count() AS n FROM pairs_cluster',
      ...store,
    ]);
    assert.match(pairs.stdout, /"n":"?0"?/);
  } finally {
    await judge.close();
  }
});

test('cluster: bad options are refused with what was expected', async () => {
  const r = await runInProcess(['cluster', '--since', 'yesterday', ...store]);
  assert.equal(r.code, 2, 'a usage error');
  assert.match(r.stderr, /--since must be an ISO time/);
  const e = await runInProcess(['cluster', '--embedder', 'openai', ...store]);
  assert.equal(e.code, 2);
  assert.match(e.stderr, /--embedder openai needs --embed-url URL \(up to \/v1\) and --embed-model M/);
});
