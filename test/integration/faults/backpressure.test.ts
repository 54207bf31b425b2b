// Bounded memory: with a tiny queue in front of a store that hangs, the receiver answers 429 + Retry-After;
// with a store that drops connections, batches go through the spool. /metrics tells the story consistently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/loadConfig.js';
import { TABLES } from '../../../src/names.js';
import { setDiagHandler } from '../../../src/observe/diag.js';
import { startPrefloop } from '../../../src/serve/startPrefloop.js';
import type { RunningPrefloop } from '../../../src/serve/startPrefloop.js';
import { RECEIVER_METRICS } from '../../../src/receive/receiverMetrics.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { SINK_METRICS } from '../../../src/sink/SpanSink.js';
import { sendAll, spanRequests } from '../../helpers/spans.js';
import { scrape, total, until } from './cliHarness.js';
import { startControllableStore } from './controllableStore.js';

// The outage is expected; its warnings would only clutter the test output.
setDiagHandler(() => undefined);

test('a full queue answers 429 with Retry-After; /metrics counts accepted, refused, spooled, retried and sunk', async () => {
  const root = mkdtempSync(join(tmpdir(), 'prefloop-backpressure-'));
  const engine = new ChdbStore(join(root, 'data'), 'prefloop');
  const store = await startControllableStore(engine);
  let prefloop: RunningPrefloop | undefined;
  try {
    const config = parseConfig(
      [
        'receivers: { otlp: {} }',
        'exporters:',
        '  clickhouse:',
        `    endpoint: ${store.url}/prefloop`,
        '    batch: { max_rows: 10, flush_interval: 50ms }',
        '    queue: { max_spans: 40 }',
        '    retry: { initial_interval: 20ms, max_interval: 100ms, max_attempts: 50 }',
        `    spool: { directory: ${JSON.stringify(join(root, 'spool'))} }`,
        'service:',
        '  pipelines: { traces: { receivers: [otlp], exporters: [clickhouse] } }',
        '  shutdown_grace: 3s',
      ].join('\n'),
      'backpressure test',
    );
    prefloop = await startPrefloop({ config, endpoint: '127.0.0.1:0', cwd: root });
    const url = prefloop.url;

    // 1. A store that hangs: the first batch is in flight, the queue fills to 40 spans, then 429.
    store.set('hang');
    const tally = await sendAll(url, spanRequests(5, 0, 80, 10));
    assert.equal(tally.statuses.get(200), 4, 'four requests of 10 spans fill a 40-span queue');
    assert.equal(tally.statuses.get(429), 4, 'the rest are refused with 429');
    assert.deepEqual(tally.retryAfter, ['1', '1', '1', '1'], 'every 429 carries Retry-After');
    const full = await scrape(url);
    assert.equal(total(full, SINK_METRICS.queueSpans), 40, 'queue depth gauge at its limit');
    assert.equal(total(full, RECEIVER_METRICS.spansAccepted), 40);
    assert.equal(full.get(`${RECEIVER_METRICS.spansRejected}{reason="refused"}`), 40);
    assert.equal(full.get(`${RECEIVER_METRICS.refused}{reason="full"}`), 4);
    assert.equal(full.get(`${RECEIVER_METRICS.requests}{code="429",route="/v1/traces"}`), 4);
    assert.equal(total(full, SINK_METRICS.sunk), 0, 'nothing stored while the store hangs');
    assert.ok(store.held() > 0, 'an insert is held by the slow store');

    // 2. The store drops connections: the held batch and new ones go to the spool; the queue empties.
    store.set('drop');
    await until('the queue to move into the spool', async () => {
      return total(await scrape(url), SINK_METRICS.queueSpans) === 0;
    });
    await sendAll(url, spanRequests(5, 100, 40, 10), tally);
    assert.equal(tally.statuses.get(200), 8, 'with the queue spooled, new requests are taken again');
    await until('a failed replay attempt to be retried', async () => {
      const m = await scrape(url);
      return total(m, SINK_METRICS.queueSpans) === 0 && total(m, SINK_METRICS.retried) > 0;
    });
    const down = await scrape(url);
    assert.ok((down.get(`${SINK_METRICS.spooled}{table="otel_traces"}`) ?? 0) > 0, 'rows were spooled');

    // 3. The store is back: the spool replays; every acknowledged span is stored once.
    store.set('up');
    const acked = tally.acknowledged.length;
    assert.equal(acked, 80);
    const stored = async () => {
      const [row] = await engine.query<{ n: string; u: string }>(
        `SELECT count() AS n, uniqExact(SpanId) AS u FROM ${TABLES.traces}`,
      );
      return { n: Number(row?.n), u: Number(row?.u) };
    };
    await until(`${acked} spans in ClickHouse`, async () => (await stored()).n >= acked);
    await until('the spool to be replayed', async () => {
      const m = await scrape(url);
      return total(m, SINK_METRICS.spoolBytes) === 0;
    });

    const m = await scrape(url);
    const sunk = m.get(`${SINK_METRICS.sunk}{table="otel_traces"}`);
    const spooled = m.get(`${SINK_METRICS.spooled}{table="otel_traces"}`) ?? 0;
    const replayed = m.get(`${SINK_METRICS.replayed}{table="otel_traces"}`) ?? 0;
    assert.deepEqual(await stored(), { n: acked, u: acked });
    assert.equal(sunk, acked, 'sunk equals the spans stored');
    assert.equal(total(m, RECEIVER_METRICS.spansAccepted), acked);
    assert.equal(total(m, SINK_METRICS.enqueued), acked);
    assert.equal(replayed, spooled, 'everything spooled was replayed');
    assert.ok(spooled > 0 && spooled <= acked);
    assert.ok(total(m, SINK_METRICS.retried) > 0);
    assert.ok(total(m, SINK_METRICS.failures) > 0);
    assert.equal(total(m, SINK_METRICS.dropped), 0, 'nothing dropped');
    assert.equal(total(m, SINK_METRICS.queueSpans), 0);
  } finally {
    store.set('up');
    await prefloop?.close();
    await store.close();
    await engine.close();
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  }
});
