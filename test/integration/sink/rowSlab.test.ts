// SpanSink hands the row slab back the memory of rows that are stored or spooled (src/sink/rowSlab.ts), and new
// requests reuse it: on the real embedded engine, through steady inserts, a slow store, an outage and its replay,
// every row stored is the one its span was encoded into, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Metrics } from '../../../src/observe/Metrics.js';
import { setDiagHandler } from '../../../src/observe/diag.js';
import { migrate } from '../../../src/sink/migrate.js';
import { ROW_SLAB } from '../../../src/sink/rowSlab.js';
import { SINK_METRICS, SpanSink, type SpanSinkOptions } from '../../../src/sink/SpanSink.js';
import type { SinkRecords } from '../../../src/sink/Batch.js';
import type { InsertOptions, Rows } from '../../../src/sink/Store.js';
import { spanRecord } from '../../unit/sink/records.js';
import { ReopeningChdbStore, SINK_MIGRATIONS, fastOptions, until } from './sinkHarness.js';

setDiagHandler(() => undefined);

const SPANS_PER_REQUEST = 20;

/**
 * The real engine, with inserts that can be held at a gate before they read their rows: a slow store. Rows
 * whose memory were handed back too early would be read after new requests were written over them.
 */
class GatedStore extends ReopeningChdbStore {
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open?.();
    this.gate = undefined;
  }
  /** Inserts run one at a time, in the order they reached the gate (the engine would run them side by side). */
  private turn: Promise<unknown> = Promise.resolve();
  override async insert(table: string, rows: Rows, options?: InsertOptions): Promise<void> {
    if (this.gate) await this.gate;
    const run = this.turn.then(() => super.insert(table, rows, options));
    this.turn = run.catch(() => undefined);
    return run;
  }
}

/**
 * Request `n`: spans whose ~24 KB response starts and ends with the span's own id, so a request's rows are
 * ~0.5 MB (a 16 MiB chunk holds ~30 of them) and a row holding another request's bytes shows in its content.
 * Every request's rows are the same number of bytes (fixed-width numbers, no fields that vary in length), so
 * memory reused too early is written over request by request, and holds rows that parse: it is stored as
 * wrong rows, not refused as broken ones.
 */
function bigRequest(n: number): SinkRecords {
  const spans = Array.from({ length: SPANS_PER_REQUEST }, (_, i) => {
    const r = spanRecord(n * SPANS_PER_REQUEST + i);
    const id = String(n * SPANS_PER_REQUEST + i).padStart(6, '0');
    const filler = `request ${String(n).padStart(5, '0')} span ${String(i).padStart(2, '0')} `.repeat(1000);
    return {
      ...r,
      span: { ...r.span, parentSpanId: '', traceState: '', statusCode: 1, statusMessage: '' },
      prompt: [{ role: 'user', content: `Question ${id}` }],
      promptHash: `ph${id}`,
      promptClass: 'pc',
      sessionId: 'session-0',
      response: `${r.span.spanId} ${filler}${r.span.spanId}`,
    };
  });
  return { spans, feedback: [], evaluations: [] };
}

/** A sink over a GatedStore in a temp folder. */
async function slabRun(folderPrefix: string, options: Partial<SpanSinkOptions> = {}) {
  const root = mkdtempSync(join(tmpdir(), folderPrefix));
  const store = new GatedStore(join(root, 'data'));
  const metrics = new Metrics();
  const sink = new SpanSink(store, metrics, {
    ...fastOptions(join(root, 'spool')),
    batchSize: 200,
    ...options,
  });
  const cleanup = async (): Promise<void> => {
    await store.close();
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  };
  try {
    await migrate(store, SINK_MIGRATIONS);
    await sink.start();
  } catch (err) {
    await cleanup();
    throw err;
  }
  let n = 0;
  return {
    store,
    metrics,
    sink,
    /** Enqueues the next `requests` requests, letting inserts, spills and replays interleave with them. */
    async send(requests: number): Promise<void> {
      for (let k = 0; k < requests; k++, n++) {
        assert.equal(sink.enqueue(bigRequest(n), 1000), true);
        // New requests take the memory that stored and spooled ones free.
        if (k % 3 === 2) await sleep(1);
      }
    },
    /**
     * Waits for every span sent to be stored, closes the sink, and checks each is there once with its own
     * content: a row replaced by another request's row shows as a duplicate id (and a missing one); a row
     * written over in part fails to parse or holds someone else's id in its text.
     */
    async assertEachStoredOnce(): Promise<void> {
      await until('every span to be stored', async () => {
        const [row] = await store.query<{ n: string }>('SELECT count() AS n FROM otel_traces');
        return Number(row!.n) === n * SPANS_PER_REQUEST && sink.isHealthy();
      });
      await sink.close();
      const [check] = await store.query<Record<string, string>>(
        `SELECT count() AS rows, uniqExact(SpanId) AS spans,
                countIf(NOT (startsWith(Response, SpanId) AND endsWith(Response, SpanId))) AS foreign
         FROM otel_traces`,
      );
      const expected = String(n * SPANS_PER_REQUEST);
      assert.deepEqual(check, { rows: expected, spans: expected, foreign: '0' });
    },
    cleanup,
  };
}

test('reused row memory: every span stored once with its own content, through spills and an outage', async () => {
  const run = await slabRun('prefloop-slab-');
  const { store, metrics, sink, send } = run;
  try {
    const reusedBefore = ROW_SLAB.reused;
    // The first half is stored before the second is sent, so the second reuses the first's memory.
    await send(100);
    await sink.flush();
    await send(100);
    await sink.flush();
    assert.ok(ROW_SLAB.reused > reusedBefore, 'stored rows handed their memory back to new requests');
    // A slow store: the insert in flight waits while ~60 MB of new requests are encoded and queued.
    await until('the spool to be replayed', () =>
      Promise.resolve(/^prefloop_sink_spool_bytes 0$/m.test(metrics.render())),
    );
    store.hold();
    await send(120);
    await sleep(50);
    store.release();
    await sink.flush();
    await store.down();
    await send(40);
    await sink.flush();
    await store.up();
    await send(80);
    await run.assertEachStoredOnce();
    assert.ok(metrics.get(SINK_METRICS.spooled, { table: 'otel_traces' }) > 0, 'some batches were spooled');
  } finally {
    await run.cleanup();
  }
});

test('rows of an insert that timed out are never reused: it may still read them, and land first', async () => {
  const run = await slabRun('prefloop-slab-late-', { insertTimeoutMs: 200 });
  const { store, metrics, send } = run;
  try {
    // Every insert waits at the gate: the first is abandoned after 200 ms (its batch spooled), yet runs on.
    store.hold();
    await send(10);
    await until('an insert to time out', () => metrics.get(SINK_METRICS.failures) > 0);
    // ~40 MB more: their inserts time out too, so they are spooled and handed back, and any chunk handed
    // back is reused meanwhile.
    await send(80);
    // The abandoned insert goes first, reading its rows now; the spooled copy's replay (same dedup token)
    // is then a no-op. Had its rows been handed back, it would store what was written over them.
    store.release();
    await run.assertEachStoredOnce();
  } finally {
    await run.cleanup();
  }
});
