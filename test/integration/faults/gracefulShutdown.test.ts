// SIGTERM / SIGINT on `prefloop serve` (embedded store): stop accepting, drain, flush, release the folder, exit 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '../../../src/names.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { SERVE_LOCK_FILE } from '../../../src/serve/serveLock.js';
import { SINK_METRICS } from '../../../src/sink/SpanSink.js';
import { sendAll, spanRequests } from '../../helpers/spans.js';
import type { ServeChild } from './cliHarness.js';
import { ensureStopped, scrape, startServe, total } from './cliHarness.js';

/** Every acknowledged span id is in the folder, once; opened directly, as `sql` would after serve exits. */
async function assertStored(folder: string, acknowledged: string[]): Promise<void> {
  const store = new ChdbStore(folder, 'prefloop');
  try {
    const rows = await store.query<{ id: string }>(`SELECT SpanId AS id FROM ${TABLES.traces} ORDER BY id`);
    assert.deepEqual(
      rows.map((r) => r.id),
      [...acknowledged].sort(),
    );
  } finally {
    await store.close();
  }
}

test('SIGTERM drains spans still queued in memory, removes the serve lock and exits 0', async () => {
  const root = mkdtempSync(join(tmpdir(), 'prefloop-sigterm-'));
  const folder = join(root, 'data');
  const configPath = join(root, 'prefloop.yaml');
  // A flush interval far beyond the test: whatever is stored got there through the shutdown drain.
  writeFileSync(
    configPath,
    [
      'receivers:',
      '  otlp: {}',
      'exporters:',
      '  clickhouse:',
      `    endpoint: ${JSON.stringify(`embedded:${folder}`)}`,
      '    batch: { max_rows: 100000, flush_interval: 10m }',
      'service:',
      '  pipelines:',
      '    traces: { receivers: [otlp], exporters: [clickhouse] }',
      '  shutdown_grace: 5s',
      '',
    ].join('\n'),
  );
  let serve: ServeChild | undefined;
  try {
    serve = await startServe(['--config', configPath]);
    assert.ok(existsSync(join(folder, SERVE_LOCK_FILE)), 'serve holds the folder with its lock file');
    const tally = await sendAll(serve.url, spanRequests(2, 0, 150, 15));
    assert.equal(tally.acknowledged.length, 150);
    const before = await scrape(serve.url);
    assert.equal(total(before, SINK_METRICS.queueSpans), 150, 'the spans wait in the queue');
    assert.equal(total(before, SINK_METRICS.sunk), 0);

    const exit = await serve.stop('SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null }, serve.stderr());
    assert.match(serve.stderr(), /SIGTERM: draining/);
    assert.equal(existsSync(join(folder, SERVE_LOCK_FILE)), false, 'the lock is removed on exit');
    await assertStored(folder, tally.acknowledged);
  } finally {
    await ensureStopped(serve);
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  }
});

test('SIGINT (Ctrl-C) on the default pipeline: exit 0, every acknowledged span stored, folder released', async () => {
  const root = mkdtempSync(join(tmpdir(), 'prefloop-sigint-'));
  const folder = join(root, 'data');
  let serve: ServeChild | undefined;
  try {
    // No config file: the built-in default pipeline (rubrics on), the store from --store.
    serve = await startServe(['--store', `embedded:${folder}`]);
    const tally = await sendAll(serve.url, spanRequests(3, 0, 120, 12));
    assert.equal(tally.acknowledged.length, 120);

    const exit = await serve.stop('SIGINT');
    assert.deepEqual(exit, { code: 0, signal: null }, serve.stderr());
    assert.match(serve.stderr(), /stopped cleanly/);
    assert.equal(existsSync(join(folder, SERVE_LOCK_FILE)), false);
    await assertStored(folder, tally.acknowledged);
    // Rubric scores rode along: the default pipeline scored the spans before storing them.
    const store = new ChdbStore(folder, 'prefloop');
    try {
      const [row] = await store.query<{ n: string }>(
        `SELECT count(DISTINCT SpanId) AS n FROM ${TABLES.evaluations}`,
      );
      assert.equal(Number(row?.n), 120, 'every span has rubric results');
    } finally {
      await store.close();
    }
  } finally {
    await ensureStopped(serve);
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  }
});
