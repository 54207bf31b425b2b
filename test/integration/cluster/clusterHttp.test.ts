// The cluster step over a ClickHouse HTTP server (a real HTTP server on chDB): the same SQL, the same
// clusters, ids and listing as on the embedded engine.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterStore } from '../../../src/cluster/ClusterStore.js';
import { runCluster } from '../../../src/cluster/runCluster.js';
import { TABLES } from '../../../src/names.js';
import type { HttpStore } from '../../../src/sink/HttpStore.js';
import { migrate } from '../../../src/sink/migrate.js';
import { evaluationRow } from '../../../src/sink/rows.js';
import { httpStoreOverChdb } from '../../helpers/clickhouseHttp.js';
import type { HttpOverChdb } from '../../helpers/clickhouseHttp.js';
import { ask, at, insertSpans, llmSpan } from '../../helpers/traces.js';

let setup: HttpOverChdb;
let http: HttpStore;

before(async () => {
  setup = await httpStoreOverChdb('prefloop-cluster-http-');
  http = setup.http;
});
after(() => setup.close());

test('cluster and clusters over HTTP: two failure modes, ids kept by a rerun, vectors reused', async () => {
  await migrate(http);
  const topics = ['refunds', 'billing', 'shipping', 'passwords', 'invoices', 'accounts'];
  const spans = topics.flatMap((t, k) => [
    llmSpan({
      prompt: ask(`How do ${t} work?`),
      response: `Sorry, I cannot help with ${t}; I must decline.`,
      time: k,
    }),
    llmSpan({
      prompt: ask(`About ${t}`),
      response: `According to a Harvard study, ${t} cite journals.`,
      time: 10 + k,
    }),
  ]);
  await insertSpans(http, spans);
  await http.insert(
    TABLES.evaluations,
    spans.map((s, i) =>
      evaluationRow({
        traceId: s.traceId,
        spanId: s.spanId,
        timeUnixNano: at(30),
        rubricId: i % 2 === 0 ? 'refusal' : 'groundedness',
        rubricVersion: '1',
        score: 0,
        label: 'fail',
        explanation: '',
        annotatorKind: 'CODE',
        metadata: JSON.stringify({ passed: false }),
      }),
    ),
  );
  const store = new ClusterStore(http);
  const window = {
    since: new Date('2024-01-01T00:00:00Z'),
    until: new Date('2024-01-02T00:00:00Z'),
    minClusterSize: 4,
  };
  const first = await runCluster(store, { ...window, now: new Date('2025-01-01T00:00:00Z') });
  assert.equal(first.failing, 12);
  assert.deepEqual(first.clusters.map((c) => c.failingRubrics).sort(), [['groundedness'], ['refusal']]);
  const second = await runCluster(store, { ...window, now: new Date('2025-01-02T00:00:00Z') });
  assert.equal(second.embedded, 0);
  assert.deepEqual(second.clusters.map((c) => c.id).sort(), first.clusters.map((c) => c.id).sort());
  const listed = await store.list();
  assert.equal(listed.length, 2);
  assert.ok(
    listed.every((r) => r.size === 6 && Number(r.runs) === 2 && r.firstSeen === '2025-01-01T00:00:00Z'),
  );
});
