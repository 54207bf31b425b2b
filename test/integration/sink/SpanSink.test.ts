// SpanSink on the real embedded engine: outages, crash replay from the spool, corrupt spool tails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Metrics } from '../../../src/observe/Metrics.js';
import { setDiagHandler } from '../../../src/observe/diag.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { migrate } from '../../../src/sink/migrate.js';
import { SINK_METRICS, SpanSink } from '../../../src/sink/SpanSink.js';
import { decodeSegment } from '../../../src/sink/spoolCodec.js';
import { joinBody, type Body } from '../../../src/sink/body.js';
import { feedbackRecord, spanRecord } from '../../unit/sink/records.js';
import { encodeRequest, insertBatch } from '../../../src/sink/batches.js';
import type { InsertOptions, Store } from '../../../src/sink/Store.js';
import { StoreError } from '../../../src/sink/Store.js';
import {
  ReopeningChdbStore,
  SINK_MIGRATIONS,
  counts,
  fastOptions,
  request,
  unreachableStore,
  until,
} from './sinkHarness.js';

const diagMessages: string[] = [];
/** A test's hook on what the sink reports, called as it reports it. */
let onDiag: ((message: string) => void) | undefined;
setDiagHandler((level, component, message) => {
  diagMessages.push(`${level} ${component} ${message}`);
  onDiag?.(message);
});

function tempDirs(): { data: string; spool: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'prefloop-sink-'));
  return {
    data: join(root, 'data'),
    spool: join(root, 'spool'),
    cleanup: () => rmSync(root, { recursive: true, force: true, maxRetries: 5 }),
  };
}

test('every span is stored exactly once across a store outage in the middle of a run', async () => {
  const dirs = tempDirs();
  const store = new ReopeningChdbStore(dirs.data);
  const metrics = new Metrics();
  const sink = new SpanSink(store, metrics, fastOptions(dirs.spool));
  try {
    await migrate(store, SINK_MIGRATIONS);
    await sink.start();
    for (let n = 0; n < 10; n++) assert.equal(sink.enqueue(request(n), 1000), true);
    await sink.flush();
    assert.equal(metrics.get(SINK_METRICS.sunk, { table: 'otel_traces' }), 100);

    await store.down();
    for (let n = 10; n < 20; n++) assert.equal(sink.enqueue(request(n), 1000), true);
    await sink.flush();
    assert.ok(
      metrics.get(SINK_METRICS.spooled, { table: 'otel_traces' }) > 0,
      'batches the store refused are spooled',
    );
    assert.equal(sink.isHealthy(), false);
    for (let n = 20; n < 30; n++) assert.equal(sink.enqueue(request(n), 1000), true);
    await sink.flush();

    await store.up();
    await until(
      'the spool to drain into the store',
      async () => (await counts(store)).spans === 300 && sink.isHealthy(),
    );
    await sink.close();
    assert.deepEqual(await counts(store), { spans: 300, uniqueSpans: 300, feedback: 30, evaluations: 120 });
    assert.ok(metrics.get(SINK_METRICS.replayed, { table: 'otel_traces' }) >= 200);
    assert.equal(metrics.get(SINK_METRICS.enqueued), 300);
    assert.deepEqual(readdirSync(dirs.spool), [], 'acknowledged segments are deleted');
    assert.equal(
      metrics.get(SINK_METRICS.replayed, { table: 'evaluations' }),
      metrics.get(SINK_METRICS.spooled, { table: 'evaluations' }),
    );
  } finally {
    await store.close();
    dirs.cleanup();
  }
});

test('a restart replays the spool once, even after a crash between insert and delete, and skips a torn tail', async () => {
  const dirs = tempDirs();
  // The crashed process: its store never answered, so everything it accepted went to the spool.
  const crashedMetrics = new Metrics();
  const crashed = new SpanSink(unreachableStore(), crashedMetrics, fastOptions(dirs.spool));
  for (let n = 0; n < 6; n++) assert.equal(crashed.enqueue(request(n), 500), true);
  await crashed.flush();
  for (let n = 6; n < 12; n++) assert.equal(crashed.enqueue(request(n), 500), true);
  await crashed.flush();
  assert.equal(crashedMetrics.get(SINK_METRICS.spooled, { table: 'otel_traces' }), 120);
  await crashed.close(); // releases timers; the spool keeps everything (the store never answered)

  const segments = readdirSync(dirs.spool).sort();
  assert.ok(segments.length > 0);
  const first = decodeSegment(readFileSync(join(dirs.spool, segments[0]!))).records[0]!;
  // A torn write at the end of the last segment: a header that promises more bytes than were written.
  appendFileSync(join(dirs.spool, segments[segments.length - 1]!), Buffer.from([0, 0, 1, 0, 9, 9, 9, 9, 9]));

  const store = new ChdbStore(dirs.data, 'prefloop');
  try {
    await migrate(store, SINK_MIGRATIONS);
    // The crash happened after the store took the first batch but before the spool deleted it.
    await insertBatch(store, first);
    const metrics = new Metrics();
    // A grace long enough for the whole replay on a loaded machine: this test is about replaying once.
    const restarted = new SpanSink(store, metrics, { ...fastOptions(dirs.spool), closeGraceMs: 60_000 });
    await restarted.start();
    await restarted.close();
    assert.deepEqual(await counts(store), { spans: 120, uniqueSpans: 120, feedback: 12, evaluations: 48 });
    assert.equal(metrics.get(SINK_METRICS.spoolCorrupt), 9);
    assert.ok(diagMessages.some((m) => m.includes('corrupt bytes')));
    assert.deepEqual(readdirSync(dirs.spool), []);
  } finally {
    await store.close();
    dirs.cleanup();
  }
});

test('close spools what the store did not take within the grace period; the next start stores it', async () => {
  const dirs = tempDirs();
  const metrics = new Metrics();
  const sink = new SpanSink(unreachableStore(), metrics, {
    ...fastOptions(dirs.spool),
    flushIntervalMs: 60_000,
  });
  for (let n = 0; n < 3; n++) sink.enqueue(request(n), 100);
  assert.equal(sink.hasRoom(1, 1), true);
  await sink.close();
  await sink.close(); // runs once
  assert.equal(sink.enqueue(request(9), 1), false, 'a closed sink takes nothing');
  assert.equal(metrics.get(SINK_METRICS.spooled, { table: 'otel_traces' }), 30);

  const store = new ChdbStore(dirs.data, 'prefloop');
  try {
    await migrate(store, SINK_MIGRATIONS);
    const next = new SpanSink(store, new Metrics(), fastOptions(dirs.spool));
    await next.start();
    await next.close();
    assert.deepEqual(await counts(store), { spans: 30, uniqueSpans: 30, feedback: 3, evaluations: 12 });
  } finally {
    await store.close();
    dirs.cleanup();
  }
});

test('the queue bounds refuse a request whole; its bytes are the rows it holds, as encoded', () => {
  const dirs = tempDirs();
  try {
    const metrics = new Metrics();
    const held = encodeRequest(request(0)).bytes;
    const sink = new SpanSink(unreachableStore(), metrics, {
      ...fastOptions(dirs.spool),
      maxQueuedSpans: 15,
      maxQueuedBytes: held + 1_000,
    });
    // Admitted by its 100 bytes on the wire; from then on it takes what its encoded rows take.
    assert.equal(sink.enqueue(request(0), 100), true);
    assert.equal(sink.hasRoom(10, 100), false);
    assert.equal(sink.enqueue(request(1), 100), false);
    assert.equal(sink.hasRoom(5, 1_000), true);
    assert.equal(sink.hasRoom(5, 1_001), false);
    assert.equal(metrics.get(SINK_METRICS.refused), 10);
    assert.match(metrics.render(), /prefloop_sink_queue_spans 10/);
    assert.match(metrics.render(), new RegExp(`prefloop_sink_queue_bytes ${held}\\b`));
  } finally {
    dirs.cleanup();
  }
});

test('a batch stops at batch bytes: large requests are inserted a few at a time, none lost', async () => {
  const dirs = tempDirs();
  const store = new ChdbStore(dirs.data, 'prefloop');
  const inserts: string[] = [];
  const recording: Store = Object.assign(Object.create(store) as Store, {
    insert: (table: string, rows: Body, options?: InsertOptions) => {
      if (table === 'otel_traces') inserts.push(`${joinBody(rows).toString().split('\n').length - 1}`);
      return store.insert(table, rows, options);
    },
  });
  try {
    await migrate(store, SINK_MIGRATIONS);
    const sink = new SpanSink(recording, new Metrics(), {
      ...fastOptions(dirs.spool),
      batchSize: 10_000,
      batchBytes: Math.round(encodeRequest(request(0)).bytes * 2.5),
      flushIntervalMs: 60_000,
    });
    await sink.start();
    for (let n = 0; n < 5; n++) assert.equal(sink.enqueue(request(n), 100), true);
    await sink.flush();
    await sink.close();
    // Requests of about the same encoded size under a cap of two and a half: two per insert, the last alone.
    assert.deepEqual(inserts, ['20', '20', '10']);
    assert.equal((await counts(store)).spans, 50);
  } finally {
    await store.close();
    dirs.cleanup();
  }
});

test('batches the spool could not take are retried once the store is back, joined once', async () => {
  const dirs = tempDirs();
  const store = new ChdbStore(dirs.data, 'prefloop');
  try {
    await migrate(store, SINK_MIGRATIONS);
    const seen: string[] = [];
    let down = true;
    // A whole outage: every insert fails and pings go unanswered until the store is back. With the spool full
    // (or unwritable) nothing is on disk, so no replay finds the store back: the sink must ask it.
    const outage: Store = Object.assign(Object.create(store) as Store, {
      insert: (table: string, rows: Body, options?: InsertOptions) => {
        if (table === 'otel_traces') seen.push(Buffer.isBuffer(rows) ? 'one buffer' : 'several');
        if (down) return Promise.reject(new StoreError('store unreachable (test)', 'STORE_UNREACHABLE'));
        return store.insert(table, rows, options);
      },
      ping: () => Promise.resolve(!down),
    });
    const metrics = new Metrics();
    const sink = new SpanSink(outage, metrics, { ...fastOptions(dirs.spool), spool: { maxBytes: 100 } });
    await sink.start();
    // Rows already acknowledged (a judged span) pass the bounds: the only way rows reach a spool too small for
    // them, since admission keeps room in the spool for everything in memory.
    for (let n = 0; n < 2; n++) sink.enqueueAcknowledged(request(n));
    await sink.flush(); // two requests, one batch: refused, and the spool cannot take it, so it is held in memory
    assert.match(metrics.render(), /prefloop_sink_held_rows 30\b/);
    await sleep(200); // the outage goes on: the held batch waits (no insert while pings fail)
    assert.deepEqual(seen, ['several']);
    down = false;
    await until('the held batch stored', async () => (await counts(store)).spans === 20, 10_000);
    // Held, the batch was joined once: its retry inserts one buffer, not its two requests' buffers again.
    assert.deepEqual(seen, ['several', 'one buffer']);
    assert.equal(sink.hasRoom(10, 100), true);
    assert.match(metrics.render(), /prefloop_sink_held_rows 0\b/);
    await sink.close();
    assert.equal(metrics.get(SINK_METRICS.dropped), 0);
  } finally {
    await store.close();
    dirs.cleanup();
  }
});

test('an insert that fails just as close gives up on it is spooled by close, not lost', async () => {
  const dirs = tempDirs();
  const store = new ChdbStore(dirs.data, 'prefloop');
  try {
    await migrate(store, SINK_MIGRATIONS);
    // One hanging insert per table batch (spans, feedback, evaluations), failed together on cue.
    const fails: ((err: unknown) => void)[] = [];
    const hanging: Store = Object.assign(Object.create(store) as Store, {
      insert: () => new Promise<void>((_resolve, reject) => fails.push(reject)),
    });
    const sink = new SpanSink(hanging, new Metrics(), {
      ...fastOptions(dirs.spool),
      closeGraceMs: 100,
      flushIntervalMs: 60_000,
    });
    await sink.start();
    assert.equal(sink.enqueue(request(0), 100), true);
    void sink.flush();
    await until('the inserts started', () => fails.length === 3);
    assert.equal(sink.enqueue(request(1), 100), true); // queued behind it: close spills it
    // The moment close gives up on the running insert, the store answers it with an error, so the attempt
    // fails while close is still spilling the queue.
    onDiag = (message) => {
      if (message.includes('close grace period over'))
        queueMicrotask(() => {
          for (const fail of fails) fail(new StoreError('store went away (test)', 'STORE_UNREACHABLE'));
        });
    };
    await sink.close();
    onDiag = undefined;
    const next = new SpanSink(store, new Metrics(), fastOptions(dirs.spool));
    await next.start();
    await next.close();
    assert.deepEqual(await counts(store), { spans: 20, uniqueSpans: 20, feedback: 2, evaluations: 8 });
  } finally {
    onDiag = undefined;
    await store.close();
    dirs.cleanup();
  }
});

/**
 * A sink whose inserts outlast its 100 ms close grace and then land, with one request's rows in flight when
 * close() starts. `spool` is the spool's options.
 */
async function closingPastGrace(dirs: ReturnType<typeof tempDirs>, store: Store, landed: Promise<void>[]) {
  let started = 0;
  const slow: Store = Object.assign(Object.create(store) as Store, {
    insert: (table: string, rows: Body, options?: InsertOptions) => {
      started++;
      const late = sleep(600).then(() => store.insert(table, rows, options));
      landed.push(late);
      return late;
    },
  });
  const metrics = new Metrics();
  const sink = new SpanSink(slow, metrics, {
    ...fastOptions(dirs.spool),
    closeGraceMs: 100,
    spool: { maxBytes: 1 },
  });
  await sink.start();
  // Acknowledged rows pass the bounds: the only way rows meet a spool too small for them.
  sink.enqueueAcknowledged(request(0));
  void sink.flush();
  await until('the inserts started', () => started > 0);
  return { sink, metrics };
}

test('closing past the grace with the spool over its bound: rows in flight are spooled all the same, none lost', async () => {
  const dirs = tempDirs();
  const store = new ChdbStore(dirs.data, 'prefloop');
  const landed: Promise<void>[] = [];
  try {
    await migrate(store, SINK_MIGRATIONS);
    const { sink, metrics } = await closingPastGrace(dirs, store, landed);
    assert.deepEqual(await sink.close(), { lostRows: 0 });
    assert.equal(metrics.get(SINK_METRICS.dropped), 0);
    assert.equal(metrics.get(SINK_METRICS.spooled, { table: 'otel_traces' }), 10);
    // The late inserts land too; the replay of the spooled copy (same dedup token) adds nothing.
    await Promise.all(landed);
    const restarted = new SpanSink(store, new Metrics(), fastOptions(dirs.spool));
    await restarted.start();
    await restarted.close();
    assert.deepEqual(await counts(store), { spans: 10, uniqueSpans: 10, feedback: 1, evaluations: 4 });
  } finally {
    await Promise.allSettled(landed); // an insert landing on a closed store would hang its close
    await store.close();
    dirs.cleanup();
  }
});

const FULL_SEGMENTS = [0, 1, 2, 3].map((n) => `segment-${String(n).padStart(12, '0')}.spool`);

test('closing past the grace on a failing disk: rows given up are reported, those still being inserted apart', async (t) => {
  if (!existsSync('/dev/full')) return t.skip('needs /dev/full');
  const dirs = tempDirs();
  const store = new ChdbStore(dirs.data, 'prefloop');
  const landed: Promise<void>[] = [];
  try {
    await migrate(store, SINK_MIGRATIONS);
    const { sink, metrics } = await closingPastGrace(dirs, store, landed);
    // The spool's next segments are on a device where every write fails with ENOSPC (each failed append
    // starts a new segment, and close tries held batches once more).
    for (const seg of FULL_SEGMENTS) symlinkSync('/dev/full', join(dirs.spool, seg));
    assert.deepEqual(await sink.close(), { lostRows: 15 });
    const unconfirmed = { table: 'otel_traces', reason: 'no_spool_unconfirmed' };
    assert.equal(metrics.get(SINK_METRICS.dropped, unconfirmed), 10);
    assert.equal(metrics.get(SINK_METRICS.dropped, { table: 'otel_traces', reason: 'no_spool' }), 0);
    // 15 rows over the three tables: 10 spans, 1 human feedback, 3 results + 1 LLM feedback as evaluations.
    assert.ok(
      diagMessages.some((m) => /closing with 15 rows .*\(15 of them were still being inserted/.test(m)),
    );
    // And indeed they reached the store after all.
    await Promise.all(landed);
    assert.equal((await counts(store)).spans, 10);
  } finally {
    await Promise.allSettled(landed);
    for (const seg of FULL_SEGMENTS) rmSync(join(dirs.spool, seg), { force: true });
    await store.close();
    dirs.cleanup();
  }
});

test('a span or feedback record whose row cannot be encoded is left out and reported; one already acknowledged is counted dropped', async () => {
  const dirs = tempDirs();
  const store = new ChdbStore(dirs.data, 'prefloop');
  try {
    await migrate(store, SINK_MIGRATIONS);
    const metrics = new Metrics();
    const sink = new SpanSink(store, metrics, fastOptions(dirs.spool));
    await sink.start();
    // Reading one of its attributes throws: a stand-in for an encoder bug on odd content.
    const odd = (i: number) => {
      const r = spanRecord(i);
      const attributes = { ...r.span.attributes };
      Object.defineProperty(attributes, 'odd.key', { enumerable: true, get: () => assert.fail('odd value') });
      return { ...r, span: { ...r.span, attributes } };
    };
    // Likewise a feedback record: its explanation throws.
    const oddFeedback = (i: number) =>
      Object.defineProperty({ ...feedbackRecord(i) }, 'explanation', {
        enumerable: true,
        get: () => assert.fail('odd explanation'),
      });
    const reported: string[] = [];
    const taken = sink.enqueue(
      {
        spans: [spanRecord(900), odd(901), spanRecord(902)],
        feedback: [feedbackRecord(0), oddFeedback(2)],
        evaluations: [],
      },
      100,
      (r, why) => reported.push(`${r?.span.spanId ?? 'no span'}: ${why}`),
    );
    assert.equal(taken, true);
    assert.equal(reported.length, 2);
    assert.match(reported[0]!, /could not be encoded for the store \(odd value\)/);
    assert.match(
      reported[1]!,
      /^no span: feedback record "user_feedback" on span \w+ could not be encoded .*odd explanation/,
    );
    sink.enqueueAcknowledged({
      spans: [odd(903), spanRecord(904)],
      feedback: [oddFeedback(4)],
      evaluations: [],
    });
    await sink.flush();
    assert.deepEqual(await counts(store), { spans: 3, uniqueSpans: 3, feedback: 1, evaluations: 0 });
    assert.equal(metrics.get(SINK_METRICS.dropped, { table: 'otel_traces', reason: 'unencodable' }), 1);
    assert.equal(metrics.get(SINK_METRICS.dropped, { table: 'feedback', reason: 'unencodable' }), 1);
    await sink.close();
  } finally {
    await store.close();
    dirs.cleanup();
  }
});

test('a store slower than the insert timeout still drains the spool: replays wait longer after each timeout', async () => {
  const dirs = tempDirs();
  const store = new ChdbStore(dirs.data, 'prefloop');
  const landed: Promise<void>[] = [];
  try {
    await migrate(store, SINK_MIGRATIONS);
    let down = true;
    // Down at first (the requests are spooled), then up but taking 150 ms an insert, three times the timeout.
    const slow: Store = Object.assign(Object.create(store) as Store, {
      insert: (table: string, rows: Body, options?: InsertOptions) => {
        if (down) return Promise.reject(new StoreError('store unreachable (test)', 'STORE_UNREACHABLE'));
        const late = sleep(150).then(() => store.insert(table, rows, options));
        landed.push(late);
        return late;
      },
    });
    const metrics = new Metrics();
    const sink = new SpanSink(slow, metrics, { ...fastOptions(dirs.spool), insertTimeoutMs: 50 });
    await sink.start();
    for (let n = 0; n < 3; n++) assert.equal(sink.enqueue(request(n), 100), true);
    await sink.flush();
    assert.ok(metrics.get(SINK_METRICS.spooled, { table: 'otel_traces' }) > 0);
    down = false;
    // With the timeout left at 50 ms every replayed insert was abandoned (landing, never acknowledged), and
    // the spool never drained.
    await until(
      'the spool drained',
      async () =>
        readdirSync(dirs.spool).filter((f) => f.endsWith('.spool')).length === 0 &&
        (await counts(store)).spans === 30,
      15_000,
    );
    assert.equal((await counts(store)).uniqueSpans, 30);
    assert.ok(diagMessages.some((m) => /spool replay inserts now wait up to \d+ ms/.test(m)));
    await sink.close();
  } finally {
    await Promise.allSettled(landed);
    await store.close();
    dirs.cleanup();
  }
});

/**
 * A sink whose spool takes no batch (100 bytes) and whose queue holds three requests' bytes, with two
 * acknowledged requests flushed: with `store` down, both are held in memory. `held` is one request's bytes.
 */
async function sinkHoldingTwo(
  store: Store,
  spoolDir: string,
): Promise<{ sink: SpanSink; metrics: Metrics; held: number }> {
  const metrics = new Metrics();
  const held = encodeRequest(request(0)).bytes;
  const sink = new SpanSink(store, metrics, {
    ...fastOptions(spoolDir),
    maxQueuedSpans: 1_000,
    maxQueuedBytes: held * 3,
    spool: { maxBytes: 100 },
  });
  await sink.start();
  // Acknowledged rows pass the bounds (see above).
  for (let n = 0; n < 2; n++) sink.enqueueAcknowledged(request(n));
  await sink.flush();
  return { sink, metrics, held };
}

test('batches kept in memory still count while they are retried: new requests are refused meanwhile', async () => {
  const dirs = tempDirs();
  let mode: 'down' | 'hang' = 'down';
  const hung: (() => void)[] = [];
  const down = unreachableStore();
  // Down at first; then it answers pings, and its inserts hang (are retried held batches still counted?).
  const store: Store = {
    ...down,
    insert: (...args) => (mode === 'down' ? down.insert(...args) : new Promise<void>((r) => hung.push(r))),
    ping: () => Promise.resolve(mode === 'hang'),
  };
  try {
    const { sink, metrics, held } = await sinkHoldingTwo(store, dirs.spool);
    assert.equal(sink.hasRoom(10, held * 2), false, 'held batches count');
    mode = 'hang';
    await until('the held batches to be retried', () => hung.length > 0);
    assert.equal(sink.hasRoom(10, held * 2), false, 'held batches being retried still count');
    assert.match(metrics.render(), /prefloop_sink_queue_spans 20\b/);
    for (const resolve of hung) resolve();
    await until('the retry to end', () => /prefloop_sink_queue_spans 0\b/.test(metrics.render()));
    assert.equal(sink.hasRoom(10, 100), true);
    await sink.close();
  } finally {
    dirs.cleanup();
  }
});

test('with the store down and the spool full, batches kept in memory still count: new requests are refused', async () => {
  const dirs = tempDirs();
  try {
    const { sink, metrics, held } = await sinkHoldingTwo(unreachableStore(), dirs.spool);
    // Neither the store nor the spool took them: they are in memory, and the bound still sees them.
    assert.equal(metrics.get(SINK_METRICS.spooled), 0);
    assert.equal(sink.hasRoom(10, held * 2), false);
    assert.equal(sink.enqueue(request(2), held * 2), false);
    assert.match(metrics.render(), /prefloop_sink_queue_spans 20\b/);
  } finally {
    dirs.cleanup();
  }
});
