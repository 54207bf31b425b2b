// Rows the store refuses as bad data (here a real CHECK constraint in the engine) are found by splitting the
// batch, kept in the spool's rejected folder and counted; their batch-mates are stored, once each, whether the
// batch was inserted live or replayed from the spool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metrics } from '../../../src/observe/Metrics.js';
import { setDiagHandler } from '../../../src/observe/diag.js';
import { migrate } from '../../../src/sink/migrate.js';
import { REJECTED_FOLDER, SINK_METRICS, SpanSink } from '../../../src/sink/SpanSink.js';
import { decodeSegment } from '../../../src/sink/spoolCodec.js';
import { BufferList, joinBody } from '../../../src/sink/body.js';
import type { InsertOptions, Rows } from '../../../src/sink/Store.js';
import { ReopeningChdbStore, SINK_MIGRATIONS, counts, fastOptions, request, until } from './sinkHarness.js';

const diagMessages: string[] = [];
setDiagHandler((level, component, message) => diagMessages.push(`${level} ${component} ${message}`));

/** Request n, with span `poisoned` (if given) named so the engine's constraint refuses it. */
function requestWithPoison(n: number, poisoned?: number) {
  const r = request(n);
  if (poisoned !== undefined) r.spans[poisoned]!.span.name = 'poison';
  return r;
}

/** A store whose first otel_traces insert `failOnce` picks fails once, as a dropped connection would. */
class FlakyOnceStore extends ReopeningChdbStore {
  failOnce: ((rows: number, poisoned: boolean) => boolean) | undefined;

  override insert(table: string, rows: Rows, options?: InsertOptions): Promise<void> {
    // The sink sends bytes (one buffer, or a batch's requests one after the other); migrations send objects.
    const body =
      Buffer.isBuffer(rows) || rows instanceof BufferList
        ? joinBody(rows)
        : Buffer.from(JSON.stringify(rows));
    const lines = body
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '').length;
    if (table === 'otel_traces' && this.failOnce?.(lines, body.includes('"poison"'))) {
      this.failOnce = undefined;
      return Promise.reject(new Error('socket hang up'));
    }
    return super.insert(table, rows, options);
  }
}

async function setUp() {
  const root = mkdtempSync(join(tmpdir(), 'prefloop-rejected-'));
  const store = new FlakyOnceStore(join(root, 'data'));
  await migrate(store, SINK_MIGRATIONS);
  await store.command(`ALTER TABLE otel_traces ADD CONSTRAINT no_poison CHECK SpanName != 'poison'`);
  const metrics = new Metrics();
  const spoolDir = join(root, 'spool');
  const sink = new SpanSink(store, metrics, { ...fastOptions(spoolDir), batchSize: 1000 });
  await sink.start();
  return { root, store, metrics, sink, spoolDir };
}

/** Runs `run` against a sink over a store that refuses spans named 'poison', then tears both down. */
async function withPoisonSink(run: (setup: Awaited<ReturnType<typeof setUp>>) => Promise<void>) {
  const setup = await setUp();
  try {
    await run(setup);
  } finally {
    await setup.sink.close();
    await setup.store.close();
    rmSync(setup.root, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** Waits until the spool is empty: a retried batch's record is acknowledged only once its isolation is over. */
function untilSpoolDrained(metrics: Metrics): Promise<void> {
  return until('the retried batch to leave the spool', async () =>
    /^prefloop_sink_spool_bytes 0$/m.test(metrics.render()),
  );
}

function rejectedRecords(spoolDir: string) {
  const folder = join(spoolDir, REJECTED_FOLDER);
  return readdirSync(folder).flatMap((f) => decodeSegment(readFileSync(join(folder, f))).records);
}

test('one refused row in a live batch: its 39 batch-mates are stored, it is kept aside and counted', async () => {
  await withPoisonSink(async ({ store, metrics, sink, spoolDir }) => {
    for (let n = 0; n < 4; n++)
      assert.equal(sink.enqueue(requestWithPoison(n, n === 1 ? 7 : undefined), 100), true);
    await sink.flush();
    assert.deepEqual(await counts(store), { spans: 39, uniqueSpans: 39, feedback: 4, evaluations: 16 });
    assert.equal(metrics.get(SINK_METRICS.rejected, { table: 'otel_traces' }), 1);
    assert.equal(metrics.get(SINK_METRICS.sunk, { table: 'otel_traces' }), 39);
    assert.equal(metrics.get(SINK_METRICS.dropped, { table: 'otel_traces', reason: 'rejected' }), 0);
    const kept = rejectedRecords(spoolDir);
    assert.equal(kept.length, 1);
    assert.equal(kept[0]!.table, 'otel_traces');
    assert.equal(kept[0]!.rows, 1);
    assert.match(kept[0]!.body.toString('utf8'), /"poison"/);
    assert.ok(
      diagMessages.some((m) => m.includes('refused 1 rows for otel_traces') && m.includes(REJECTED_FOLDER)),
    );
    assert.equal(sink.isHealthy(), true, 'a refused row is not an outage');
  });
});

test('a refused row in a spooled batch does not hold the spool: replay stores the rest once', async () => {
  await withPoisonSink(async ({ store, metrics, sink, spoolDir }) => {
    await store.down();
    for (let n = 0; n < 3; n++)
      assert.equal(sink.enqueue(requestWithPoison(n, n === 2 ? 0 : undefined), 100), true);
    await sink.flush();
    assert.ok(
      metrics.get(SINK_METRICS.spooled, { table: 'otel_traces' }) > 0,
      'the batch waited in the spool',
    );
    await store.up();
    for (let n = 3; n < 5; n++) assert.equal(sink.enqueue(requestWithPoison(n), 100), true);
    await until('the spool to drain', async () => {
      const c = await counts(store);
      return c.spans === 49 && c.evaluations === 20 && sink.isHealthy();
    });
    await sink.flush();
    assert.deepEqual(await counts(store), { spans: 49, uniqueSpans: 49, feedback: 5, evaluations: 20 });
    assert.equal(metrics.get(SINK_METRICS.rejected, { table: 'otel_traces' }), 1);
    assert.equal(rejectedRecords(spoolDir).length, 1);
  });
});

test('a transient fault while isolating: the retry keeps the refused row once and counts it once', async () => {
  await withPoisonSink(async ({ store, metrics, sink, spoolDir }) => {
    // The batch's clean half fails once while the poisoned half is being searched: the whole batch is retried.
    store.failOnce = (rows, poisoned) => rows === 20 && !poisoned;
    for (let n = 0; n < 4; n++)
      assert.equal(sink.enqueue(requestWithPoison(n, n === 0 ? 3 : undefined), 100), true);
    await sink.flush();
    await untilSpoolDrained(metrics);
    assert.equal(store.failOnce, undefined, 'the fault happened');
    assert.deepEqual(await counts(store), { spans: 39, uniqueSpans: 39, feedback: 4, evaluations: 16 });
    assert.equal(metrics.get(SINK_METRICS.rejected, { table: 'otel_traces' }), 1);
    assert.deepEqual(
      rejectedRecords(spoolDir).map((r) => r.rows),
      [1],
    );
  });
});

test('a transient fault that sends the retry down another split path: nothing is kept twice', async () => {
  await withPoisonSink(async ({ store, metrics, sink, spoolDir }) => {
    // Rows 20 and 30 poisoned. First attempt: the quarter holding row 30 fails on the wire, so the search
    // goes down the other quarter alone (row 20 by itself). The retry finds both quarters refused and keeps
    // their half whole: had the first attempt kept row 20, it would be kept twice.
    store.failOnce = (rows, poisoned) => rows === 10 && poisoned;
    const requests = [0, 1, 2, 3].map((n) => request(n));
    requests[2]!.spans[0]!.span.name = 'poison';
    requests[3]!.spans[0]!.span.name = 'poison';
    for (const r of requests) assert.equal(sink.enqueue(r, 100), true);
    await sink.flush();
    await untilSpoolDrained(metrics);
    assert.equal(store.failOnce, undefined, 'the fault happened');
    const kept = rejectedRecords(spoolDir);
    assert.deepEqual(
      kept.map((r) => r.rows),
      [20],
    );
    assert.equal(metrics.get(SINK_METRICS.rejected, { table: 'otel_traces' }), 20);
    // Stored once each: the clean half, and the 9 clean rows the first attempt's search stored on its way to
    // row 20 (they are also in the half kept aside: the retry keeps that half whole, as with any two refused
    // halves).
    const c = await counts(store);
    assert.deepEqual([c.spans, c.uniqueSpans], [29, 29]);
  });
});

test('a batch whose every row is refused is set aside whole after one split, not row by row', async () => {
  await withPoisonSink(async ({ store, metrics, sink, spoolDir }) => {
    const all = [0, 1, 2, 3].map((n) => {
      const r = request(n);
      for (const s of r.spans) s.span.name = 'poison';
      return r;
    });
    for (const r of all) assert.equal(sink.enqueue(r, 100), true);
    await sink.flush();
    const c = await counts(store);
    assert.equal(c.spans, 0);
    assert.equal(c.feedback, 4, 'the other tables of the same requests are stored');
    assert.equal(metrics.get(SINK_METRICS.rejected, { table: 'otel_traces' }), 40);
    assert.equal(
      metrics.get(SINK_METRICS.failures),
      3,
      'the batch, then its two halves: no row-by-row search',
    );
    const kept = rejectedRecords(spoolDir);
    assert.deepEqual(
      kept.map((r) => r.rows),
      [40],
    );
  });
});
