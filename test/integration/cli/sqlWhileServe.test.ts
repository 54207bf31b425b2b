// While `prefloop serve` holds an embedded folder, `sql`, `pairs` and `export` reach the data through it;
// once serve has stopped, `sql` opens the folder itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVE_LOCK_FILE } from '../../../src/serve/serveLock.js';
import { SINK_METRICS } from '../../../src/sink/SpanSink.js';
import { sendAll, spanRequests, traceIdOf } from '../../helpers/spans.js';
import type { ServeChild } from '../faults/cliHarness.js';
import {
  ensureStopped,
  runCli,
  runInProcess,
  scrape,
  startServe,
  total,
  until,
} from '../faults/cliHarness.js';

const COUNT_SQL = 'SELECT count() AS n, uniqExact(SpanId) AS u FROM otel_traces';

test('sql, pairs and export run against a folder that serve holds, and sql opens it after serve stops', async () => {
  const root = mkdtempSync(join(tmpdir(), 'prefloop-sql-serve-'));
  const folder = join(root, 'data');
  const store = ['--store', `embedded:${folder}`];
  let serve: ServeChild | undefined;
  try {
    serve = await startServe(store);
    const tally = await sendAll(serve.url, spanRequests(4, 0, 68, 17));
    assert.equal(tally.acknowledged.length, 68);
    // Same prompt (seq 0 and 17), opposite thumbs: material for a feedback pair.
    const feedback = await fetch(`${serve.url}/v1/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { trace_id: traceIdOf(4, 0), score: 1 },
        { trace_id: traceIdOf(4, 17), score: 0 },
      ]),
    });
    assert.equal(feedback.status, 200, await feedback.text());
    const running = serve;
    await until('the spans and feedback to be stored', async () => {
      const m = await scrape(running.url);
      return total(m, SINK_METRICS.queueSpans) === 0 && total(m, SINK_METRICS.sunk) >= 68 + 2;
    });

    // One real `prefloop sql` process; the other clients run in this test process (another process
    // than serve's, so they too reach the folder through serve's query endpoint), which keeps the test fast.
    const table = await runCli(['sql', ...store, COUNT_SQL]);
    const json = await runInProcess(['sql', '--format', 'json', ...store, COUNT_SQL]);
    const pairs = await runInProcess(['pairs', '--format', 'json', ...store]);
    const out = join(root, 'export');
    const exported = await runInProcess(['export', '--format', 'dpo', '--out', out, ...store]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /\bn\b.*\bu\b/s, 'a header row');
    assert.match(table.stdout, /\b68\b.*\b68\b/, 'the counts');

    assert.equal(json.code, 0, json.stderr);
    const lines = json.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const row = JSON.parse(lines[0]!) as { n: string | number; u: string | number };
    assert.deepEqual([Number(row.n), Number(row.u)], [68, 68]);

    assert.equal(pairs.code, 0, pairs.stderr);
    const summary = JSON.parse(pairs.stdout) as { total: number; bySource: Record<string, unknown> };
    assert.equal(typeof summary.total, 'number');

    assert.equal(exported.code, 0, exported.stderr);
    for (const file of ['train.jsonl', 'holdout.jsonl', 'manifest.json'])
      assert.ok(existsSync(join(out, file)), `${file} written`);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { records: number };
    assert.equal(manifest.records, summary.total, 'export and pairs see the same pairs');

    const exit = await serve.stop('SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null }, serve.stderr());
    assert.equal(existsSync(join(folder, SERVE_LOCK_FILE)), false);

    const direct = await runInProcess(['sql', '--format', 'json', ...store, COUNT_SQL]);
    assert.equal(direct.code, 0, direct.stderr);
    const after = JSON.parse(direct.stdout.trim()) as { n: string | number };
    assert.equal(Number(after.n), 68, 'the folder opened directly holds the same rows');
  } finally {
    await ensureStopped(serve);
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  }
});
