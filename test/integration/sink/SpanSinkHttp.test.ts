// SpanSink → HttpStore → real HTTP → chDB: the server stops mid-run and comes back; every span is stored once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metrics } from '../../../src/observe/Metrics.js';
import { setDiagHandler } from '../../../src/observe/diag.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { HttpStore } from '../../../src/sink/HttpStore.js';
import { migrate } from '../../../src/sink/migrate.js';
import { SINK_METRICS, SpanSink } from '../../../src/sink/SpanSink.js';
import { startClickHouseHttp } from '../../helpers/clickhouseHttp.js';
import { SINK_MIGRATIONS, counts, fastOptions, request, until } from './sinkHarness.js';

setDiagHandler(() => undefined);

test('a ClickHouse server outage in the middle of a run loses and duplicates nothing', async () => {
  const root = mkdtempSync(join(tmpdir(), 'prefloop-sink-http-'));
  const engine = new ChdbStore(join(root, 'data'), 'prefloop');
  const server = await startClickHouseHttp(engine);
  const http = new HttpStore(
    { kind: 'http', url: server.url, database: 'prefloop' },
    { requestTimeoutMs: 5000 },
  );
  const metrics = new Metrics();
  const sink = new SpanSink(http, metrics, fastOptions(join(root, 'spool')));
  try {
    await migrate(http, SINK_MIGRATIONS);
    await sink.start();
    for (let n = 0; n < 8; n++) assert.equal(sink.enqueue(request(n), 1000), true);
    await sink.flush();
    await server.stop();
    for (let n = 8; n < 16; n++) assert.equal(sink.enqueue(request(n), 1000), true);
    await sink.flush();
    assert.equal(sink.isHealthy(), false);
    assert.ok(metrics.get(SINK_METRICS.spooled, { table: 'otel_traces' }) > 0);
    await server.start();
    for (let n = 16; n < 24; n++) assert.equal(sink.enqueue(request(n), 1000), true);
    await until('every span to reach the server', async () => (await counts(engine)).spans === 240);
    await sink.close();

    assert.deepEqual(await counts(engine), { spans: 240, uniqueSpans: 240, feedback: 24, evaluations: 96 });
  } finally {
    await http.close();
    await server.stop();
    await engine.close();
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  }
});
