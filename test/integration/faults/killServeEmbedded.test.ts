// `prefloop serve` on an embedded folder, SIGKILLed: what was flushed is in chDB, and the lock file the dead
// process left behind keeps neither `sql` nor a new `serve` from the folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '../../../src/names.js';
import { SERVE_LOCK_FILE } from '../../../src/serve/serveLock.js';
import { SINK_METRICS } from '../../../src/sink/SpanSink.js';
import { sendAll, spanRequests } from '../../helpers/spans.js';
import type { ServeChild } from './cliHarness.js';
import { ensureStopped, runInProcess, scrape, startServe, total, until } from './cliHarness.js';

test('SIGKILL on an embedded folder: flushed spans survive, the stale lock blocks neither sql nor a restart', async () => {
  const root = mkdtempSync(join(tmpdir(), 'prefloop-kill-embedded-'));
  const folder = join(root, 'data');
  const configPath = join(root, 'prefloop.yaml');
  writeFileSync(
    configPath,
    [
      'receivers:',
      '  otlp: {}',
      'exporters:',
      '  clickhouse:',
      `    endpoint: ${JSON.stringify(`embedded:${folder}`)}`,
      '    batch: { max_rows: 50, flush_interval: 50ms }',
      'service:',
      '  pipelines:',
      '    traces: { receivers: [otlp], exporters: [clickhouse] }',
      '',
    ].join('\n'),
  );
  const countSql = [
    'sql',
    '--format',
    'json',
    '--config',
    configPath,
    `SELECT count() AS n, uniqExact(SpanId) AS u FROM ${TABLES.traces}`,
  ];
  let serve: ServeChild | undefined;
  try {
    serve = await startServe(['--config', configPath]);
    const tally = await sendAll(serve.url, spanRequests(6, 0, 100, 10));
    const first = serve;
    await until('the spans to be flushed into chDB', async () => {
      const m = await scrape(first.url);
      return total(m, SINK_METRICS.queueSpans) === 0 && total(m, SINK_METRICS.sunk) === 100;
    });
    assert.equal((await serve.stop('SIGKILL')).signal, 'SIGKILL');
    assert.ok(existsSync(join(folder, SERVE_LOCK_FILE)), 'a killed serve leaves its lock behind');

    const direct = await runInProcess(countSql);
    assert.equal(direct.code, 0, direct.stderr);
    assert.deepEqual(JSON.parse(direct.stdout), { n: 100, u: 100 }); // counts print as numbers

    serve = await startServe(['--config', configPath]);
    await sendAll(serve.url, spanRequests(6, 100, 50, 10), tally);
    assert.deepEqual(await serve.stop('SIGTERM'), { code: 0, signal: null }, serve.stderr());
    const after = await runInProcess(countSql);
    assert.equal(after.code, 0, after.stderr);
    assert.deepEqual(JSON.parse(after.stdout), { n: 150, u: 150 });
    assert.equal(tally.acknowledged.length, 150);
  } finally {
    await ensureStopped(serve);
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  }
});
