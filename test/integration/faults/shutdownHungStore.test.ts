// SIGTERM while the store hangs on an insert: within the grace period serve spools the queue and the insert
// still running, exits 0; restarted with the store back, it stores every acknowledged span once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '../../../src/names.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { sendAll, spanRequests } from '../../helpers/spans.js';
import type { ServeChild } from './cliHarness.js';
import { ensureStopped, startServe, until } from './cliHarness.js';
import { startControllableStore } from './controllableStore.js';

test('SIGTERM with a hung store: spool within the grace period, exit 0, nothing lost or doubled', async () => {
  const root = mkdtempSync(join(tmpdir(), 'prefloop-hung-store-'));
  const engine = new ChdbStore(join(root, 'data'), 'prefloop');
  const clickhouse = await startControllableStore(engine);
  const spoolDir = join(root, 'spool');
  const configPath = join(root, 'prefloop.yaml');
  writeFileSync(
    configPath,
    [
      'receivers: { otlp: {} }',
      'exporters:',
      '  clickhouse:',
      `    endpoint: ${clickhouse.url}/prefloop`,
      '    batch: { max_rows: 30, flush_interval: 50ms }',
      `    spool: { directory: ${JSON.stringify(spoolDir)} }`,
      'service:',
      '  pipelines: { traces: { receivers: [otlp], exporters: [clickhouse] } }',
      '  shutdown_grace: 1s',
      '',
    ].join('\n'),
  );
  const stored = async (): Promise<{ n: number; u: number }> => {
    const [row] = await engine.query<{ n: string; u: string }>(
      `SELECT count() AS n, uniqExact(SpanId) AS u FROM ${TABLES.traces}`,
    );
    return { n: Number(row?.n), u: Number(row?.u) };
  };
  let serve: ServeChild | undefined;
  try {
    serve = await startServe(['--config', configPath]);
    clickhouse.set('hang');
    const tally = await sendAll(serve.url, spanRequests(7, 0, 100, 10));
    assert.equal(tally.acknowledged.length, 100);
    await until('an insert to hang on the store', () => clickhouse.held() > 0);

    // The insert timeout (10 s) is far past the grace period: exiting in time means not waiting for it.
    const exit = await serve.stop('SIGTERM', 8000);
    assert.deepEqual(exit, { code: 0, signal: null }, serve.stderr());
    assert.match(serve.stderr(), /grace period over; spooling/);
    assert.doesNotMatch(serve.stderr(), /overran/);
    assert.ok(
      readdirSync(spoolDir).some((n) => n.endsWith('.spool')),
      'the batches are on disk',
    );

    clickhouse.set('up');
    serve = await startServe(['--config', configPath]);
    await until('the spooled spans to be replayed', async () => (await stored()).n >= 100);
    assert.deepEqual(await serve.stop('SIGTERM'), { code: 0, signal: null }, serve.stderr());
    assert.deepEqual(await stored(), { n: 100, u: 100 });
  } finally {
    await ensureStopped(serve);
    clickhouse.set('up');
    await clickhouse.close();
    await engine.close();
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  }
});
