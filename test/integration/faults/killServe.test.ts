// `prefloop serve` on a ClickHouse-HTTP store: the store goes down mid-run, serve is SIGKILLed with a spool on
// disk; restarted while the store commits inserts but loses its answers, it is killed again mid-replay;
// everything comes back, and every span that was answered 200 is stored exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '../../../src/names.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { SINK_METRICS } from '../../../src/sink/SpanSink.js';
import { sendAll, spanRequests } from '../../helpers/spans.js';
import type { CliChild, ServeChild } from './cliHarness.js';
import { ensureStopped, scrape, startCli, startServe, total, until } from './cliHarness.js';
import { startControllableStore } from './controllableStore.js';

const segments = (dir: string): string[] => {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.spool'));
  } catch {
    return [];
  }
};

test('SIGKILL with a spool on disk and a store outage: every acknowledged span stored exactly once', async () => {
  const root = mkdtempSync(join(tmpdir(), 'prefloop-kill-serve-'));
  const engine = new ChdbStore(join(root, 'data'), 'prefloop');
  const clickhouse = await startControllableStore(engine);
  const spoolDir = join(root, 'spool');
  const configPath = join(root, 'prefloop.yaml');
  writeFileSync(
    configPath,
    [
      'receivers:',
      '  otlp: {}',
      'exporters:',
      '  clickhouse:',
      `    endpoint: ${clickhouse.url}/prefloop`,
      '    batch: { max_rows: 50, flush_interval: 50ms }',
      '    retry: { initial_interval: 20ms, max_interval: 100ms, max_attempts: 2 }',
      `    spool: { directory: ${JSON.stringify(spoolDir)} }`,
      'service:',
      '  pipelines:',
      '    traces: { receivers: [otlp], exporters: [clickhouse] }',
      '  shutdown_grace: 3s',
      '',
    ].join('\n'),
  );
  const stored = async (): Promise<{ n: number; unique: number }> => {
    const [row] = await engine.query<{ n: string; u: string }>(
      `SELECT count() AS n, uniqExact(SpanId) AS u FROM ${TABLES.traces}`,
    );
    return { n: Number(row?.n), unique: Number(row?.u) };
  };

  let serve: ServeChild | undefined;
  let replaying: CliChild | undefined;
  try {
    serve = await startServe(['--config', configPath]);
    // Store up: these reach ClickHouse directly.
    const tally = await sendAll(serve.url, spanRequests(1, 0, 100, 10));
    await until('the first 100 spans in ClickHouse', async () => (await stored()).n === 100);

    // Store down: acknowledged spans must reach the spool, not linger in memory.
    clickhouse.set('drop');
    await sendAll(serve.url, spanRequests(1, 100, 200, 20), tally);
    assert.deepEqual(
      [...tally.statuses],
      [[200, 20]],
      'every request is answered 200 while the spool takes them',
    );
    const first = serve;
    await until('the queue to drain into the spool', async () => {
      const m = await scrape(first.url);
      return segments(spoolDir).length > 0 && total(m, SINK_METRICS.queueSpans) === 0;
    });
    const metrics = await scrape(serve.url);
    assert.ok(total(metrics, SINK_METRICS.spooled) >= 200, 'the outage batches were spooled');

    const killed = await serve.stop('SIGKILL');
    assert.equal(killed.signal, 'SIGKILL');
    assert.ok(segments(spoolDir).length > 0, 'the spool survives the kill');
    assert.equal((await stored()).n, 100, 'nothing of the outage reached ClickHouse before the restart');

    // Restarted while the store stores inserts but their answers are lost: the start-up replay commits
    // spooled batches it never hears back about (and retries them); killed in the middle of that.
    clickhouse.set('ack-lost');
    replaying = startCli(['serve', '--endpoint', '127.0.0.1:0', '--config', configPath]);
    const restarted = replaying;
    await until('the replay to commit a batch whose answer is lost', async () => {
      if (restarted.child.exitCode !== null)
        throw new Error(
          `serve exited with ${restarted.child.exitCode}:\n${restarted.stdout()}\n${restarted.stderr()}`,
        );
      return clickhouse.ackLost() >= 2 && (await stored()).n > 100;
    });
    replaying.child.kill('SIGKILL');
    await replaying.exited;
    assert.ok(segments(spoolDir).length > 0, 'the unacknowledged batches are still spooled');

    // Store back, prefloop restarted on the same spool: the spool replays (deduplicated), new spans flow too.
    clickhouse.set('up');
    serve = await startServe(['--config', configPath]);
    await sendAll(serve.url, spanRequests(1, 300, 100, 25), tally);
    assert.equal(tally.acknowledged.length, 400);
    await until(`all ${tally.acknowledged.length} acknowledged spans in ClickHouse`, async () => {
      return (await stored()).n >= tally.acknowledged.length;
    });
    const exit = await serve.stop('SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null }, serve.stderr());

    assert.deepEqual(await stored(), { n: 400, unique: 400 });
    const ids = await engine.query<{ id: string }>(`SELECT SpanId AS id FROM ${TABLES.traces} ORDER BY id`);
    assert.deepEqual(
      ids.map((r) => r.id),
      [...tally.acknowledged].sort(),
      'the stored spans are exactly the acknowledged ones',
    );
    assert.deepEqual(segments(spoolDir), [], 'the replayed spool is emptied');
  } finally {
    await ensureStopped(serve);
    await ensureStopped(replaying);
    await clickhouse.close();
    await engine.close();
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  }
});
