// The bounded, batched writer behind the pipeline: memory queue → store, with an on-disk spool for outages.
import { performance } from 'node:perf_hooks';
import type { Metrics } from '../observe/Metrics.js';
import { diag, errorText } from '../observe/diag.js';
import type { SpanRecord } from '../records/types.js';
import type { Batch, SinkRecords } from './Batch.js';
import { BatchSizer } from './BatchSizer.js';
import { combineRequests, encodeLogged, freshToken, insertBatch } from './batches.js';
import type { EncodedRequest } from './batches.js';
import { settlesWithin } from './deadline.js';
import { isRejected, isTimeout, withTimeout } from './insertOutcome.js';
import { attemptWithIsolation, type InsertOutcome } from './isolateRefused.js';
import { MemoryQueue } from './MemoryQueue.js';
import { RejectedRows, REJECTED_FOLDER } from './RejectedRows.js';
import { forgetRows, releaseRows } from './rowSlab.js';
import { declareSinkMetrics, SINK_METRICS } from './sinkMetrics.js';
import { resolveSinkOptions, type CloseReport, type SpanSinkOptions } from './sinkOptions.js';
import { Spool } from './Spool.js';
import { SpoolReplayer } from './SpoolReplayer.js';
import { SpoolWriter } from './SpoolWriter.js';
import { TraceLineWriter } from './traceLine.js';
import type { Store } from './Store.js';

export type { SinkRecords } from './Batch.js';
export { SINK_METRICS } from './sinkMetrics.js';
export { REJECTED_FOLDER } from './RejectedRows.js';
export { SINK_DEFAULTS, type CloseReport, type SpanSinkOptions } from './sinkOptions.js';

const COMPONENT = 'sink';

/**
 * Invariants:
 * - A span that enqueue() accepted is in the store or in the spool, never only in memory longer than the flush
 *   interval plus one insert attempt timeout. A batch whose attempt fails is spooled at once, and every retry
 *   replays it from the spool with its dedup token: a retry that overlaps a late success stores nothing twice.
 * - The spool is for a store that is down or failing, not for one that is merely slower than the intake: a slow
 *   store fills the queue, and enqueue() refuses (the receiver answers 429) until it drains. Batches are sized to
 *   what the store absorbs (BatchSizer), so a slow insert is not a failure.
 * - Everything in memory can always be spooled: a request is refused unless the spool has room for it and for
 *   all the memory holds, and close() writes past the spool's bound. Rows are given up only when the disk
 *   itself fails; close() then reports them (CloseReport), and they are counted as dropped.
 */
export class SpanSink {
  private readonly o: Required<Omit<SpanSinkOptions, 'spool'>>;
  private readonly spool: Spool;
  private readonly spoolWriter: SpoolWriter;
  private readonly rejected: RejectedRows; // rows the store refused, kept on disk
  private readonly queue = new MemoryQueue();
  private readonly sizer: BatchSizer;
  private readonly lines = new TraceLineWriter(); // what recurs across this sink's requests
  private readonly replayer: SpoolReplayer;
  private storeUp = true;
  /** When probeForHeld last asked the store (ms since the epoch). */
  private lastProbeAt = 0;
  private inFlight = false;
  /** Batches whose insert attempt is running (only in memory until it ends). */
  private attempting: Batch[] = [];
  /** Set when close() gave up waiting: attempts still running were spooled, their late outcome is ignored. */
  private abandoned = false;
  /** The batches close() spools itself, having given up on their running attempts. */
  private readonly takenByClose = new Set<Batch>();
  private flushChain: Promise<void> = Promise.resolve();
  /** The spill in progress: drain() waits for it, so flush() never resolves while entries are mid-spool. */
  private spilling: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<CloseReport> | undefined;
  private started = false;

  constructor(
    private readonly store: Store,
    private readonly metrics: Metrics,
    options: SpanSinkOptions,
  ) {
    this.o = resolveSinkOptions(options);
    this.spool = new Spool(options.spoolDir, options.spool);
    this.spoolWriter = new SpoolWriter(this.spool, this.queue, metrics, () => this.closing === undefined);
    this.rejected = new RejectedRows(options.spoolDir, options.spool, metrics);
    this.sizer = new BatchSizer({
      maxRows: this.o.batchSize,
      minRows: this.o.minBatchSize,
      targetMs: this.o.targetInsertMs,
    });
    this.replayer = new SpoolReplayer(
      this.spool,
      metrics,
      this.o,
      (batch, timeoutMs) => this.attempt(batch, timeoutMs, true),
      () => (this.queue.hasHeld && !this.storeUp ? this.probeForHeld() : Promise.resolve()),
    );
    declareSinkMetrics(
      metrics,
      {
        queueSpans: () => this.queue.load().spans,
        queueBytes: () => this.queue.load().bytes,
        heldRows: () => this.queue.heldRows(),
        batchRows: () => this.sizer.batchRows,
        spoolBytes: () => this.spool.bytes,
      },
      REJECTED_FOLDER,
    );
  }

  /**
   * True when a request of `spans` spans and `bytes` bytes fits now: in memory, and in the spool along with
   * everything memory holds (so close can always write it out).
   */
  hasRoom(spans: number, bytes: number): boolean {
    if (this.closing !== undefined) return false;
    const load = this.queue.load();
    return (
      load.spans + spans <= this.o.maxQueuedSpans &&
      load.bytes + bytes <= this.o.maxQueuedBytes &&
      this.spool.hasRoom(load.bytes + bytes)
    );
  }

  /** Why a request could never fit, even in an empty queue (retrying is pointless); else undefined. */
  neverFits(spans: number, bytes: number): string | undefined {
    if (spans > this.o.maxQueuedSpans) return `${spans} spans > queue.max_spans ${this.o.maxQueuedSpans}`;
    if (bytes > this.o.maxQueuedBytes) return `${bytes} bytes > queue.max_bytes ${this.o.maxQueuedBytes}`;
    return undefined;
  }

  /**
   * Queues a request's records; never blocks on the store. False (nothing taken) when there is no room for a
   * request of `bytes` bytes (its size on the wire: the estimate admission goes by, before any encoding).
   * A record whose row cannot be encoded (a bug on odd content) is left out and handed to `onUnencodable`,
   * with its span when it was one.
   */
  enqueue(
    input: SinkRecords,
    bytes: number,
    onUnencodable?: (record: SpanRecord | undefined, why: string) => void,
  ): boolean {
    const spans = input.spans.length;
    if (!this.hasRoom(spans, bytes)) {
      this.metrics.inc(SINK_METRICS.refused, spans);
      return false;
    }
    this.push(encodeLogged(input, this.lines, 'left out', (left, why) => onUnencodable?.(left.span, why)));
    return true;
  }

  /**
   * Queues rows of a request that was already acknowledged (spans held for an LLM judge, late judge results).
   * They bypass the queue bound: refusing them now would lose data the client was told is safe. The overshoot
   * is bounded by the judges' concurrency and wait cap.
   */
  enqueueAcknowledged(input: SinkRecords): void {
    // Already answered 200: a record that cannot be encoded can no longer be refused, so it is counted as dropped.
    this.push(
      encodeLogged(input, this.lines, 'dropped', (left) =>
        this.metrics.inc(SINK_METRICS.dropped, 1, { table: left.table, reason: 'unencodable' }),
      ),
    );
  }

  /**
   * Starts the flush timer and the replay of what the spool holds, in the background: new batches go to the
   * store beside the replay, and close() waits for the replay within its grace period.
   */
  start(): Promise<void> {
    if (this.started) return Promise.resolve();
    this.started = true;
    this.timer = setInterval(() => this.tick(), this.o.flushIntervalMs);
    this.timer.unref();
    // Not awaited: a down or slow store must not hold start-up for a whole replay round, and while the round
    // backs off on unref'd timers nothing would keep a process that awaits it alive (it exited with code 13).
    if (this.spool.hasData) void this.replayer.replay();
    return Promise.resolve();
  }

  /** Resolves once everything queued before the call is in the store or in the spool. */
  flush(): Promise<void> {
    const run = this.flushChain.then(() => this.drain());
    this.flushChain = run.catch((err: unknown) => diag('error', COMPONENT, 'flush failed', err));
    return this.flushChain;
  }

  /** True when the last store contact succeeded and nothing is stuck in memory. */
  isHealthy(): boolean {
    return this.closing === undefined && this.storeUp && !this.queue.hasHeld;
  }

  /**
   * Drains within closeGraceMs, then spools the rest (past the spool's bound if need be: the bound is for
   * admission, and the disk may well have room). Runs once; the store is left open for its owner.
   */
  close(): Promise<CloseReport> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<CloseReport> {
    clearInterval(this.timer);
    const deadline = Date.now() + this.o.closeGraceMs;
    // Kept alive: the process must stay up for the grace period, and no longer than the work needs.
    const withinGrace = (work: Promise<unknown>): Promise<boolean> =>
      settlesWithin(work, deadline - Date.now(), true);
    const drained = this.flush();
    // Batches whose insert was still running when the grace ran out: the store may yet take them.
    const unconfirmed = new Set<string>();
    if (!(await withinGrace(drained))) {
      // Out of time: everything still only in memory goes to disk now, including batches whose insert is
      // still running (a late success is harmless: the spooled copy replays with the same dedup token).
      diag('warn', COMPONENT, `close grace period over; spooling what ${this.store.location} has not taken`);
      this.abandoned = true;
      // Taken now, before any await: an attempt that fails meanwhile leaves `attempting`, and deliver()
      // leaves what close() took to close().
      const running = this.attempting;
      this.attempting = [];
      for (const b of running) {
        unconfirmed.add(b.token);
        this.takenByClose.add(b);
      }
      // Their inserts may still be reading their rows: that memory is never reused.
      forgetRows(running);
      await this.spill();
      if (running.length > 0) await this.spoolWriter.write(running);
    } else {
      await drained;
    }
    // A replay round already talking to a live store may finish within the grace; the rest stays spooled.
    const replaying = this.replayer.running;
    if (replaying) await withinGrace(replaying);
    this.replayer.stop();
    // Past the grace a replay attempt may hang on the store; its record is on disk, so it is not waited for.
    if (!this.abandoned) await this.replayer.running;
    // Batches held while the store was down: written out now, past the spool's bound.
    const held = this.queue.dropHeld();
    if (held.length > 0) releaseRows(await this.spoolWriter.write(held));
    const report = this.spoolWriter.giveUp(this.queue.dropHeld(), unconfirmed);
    await this.spool.close();
    await this.rejected.close();
    return report;
  }

  /**
   * Queues one request's encoded rows. From here on the queue holds those bytes, not the request: that is
   * what its byte bound counts (acknowledged rows too — they take memory, so later requests see less room).
   */
  private push(encoded: EncodedRequest): void {
    if (encoded.rows === 0) return;
    this.queue.push(encoded);
    this.metrics.inc(SINK_METRICS.enqueued, encoded.spans);
    if (!this.inFlight && this.queue.hasBatch(this.sizer.batchRows, this.o.batchBytes)) void this.flush();
  }

  private tick(): void {
    // Held batches wait while the store is down (probeForHeld asks it): a tick would only find them stuck.
    if (this.queue.length > 0 || (this.queue.hasHeld && this.storeUp)) void this.flush();
  }

  /** Writes the held batches, then the queue in batches the sizer allows. */
  private async drain(): Promise<void> {
    await this.spilling;
    if (this.queue.hasHeld) {
      const held = this.queue.takeHeld();
      try {
        await this.deliver(held);
      } finally {
        this.queue.retried();
      }
    }
    while (this.queue.length > 0) {
      const entries = this.queue.take(this.sizer.batchRows, this.o.batchBytes);
      this.inFlight = true;
      try {
        await this.deliver(combineRequests(entries, freshToken));
      } finally {
        this.inFlight = false;
        this.queue.settle(entries);
      }
    }
    // A spill that started while the last insert was in flight holds entries that are in neither place yet.
    await this.spilling;
  }

  /** One attempt per table batch; what fails goes to the spool (whose replay retries it). */
  private async deliver(batches: Batch[]): Promise<void> {
    // A down store is not hammered: its batches go to the spool, whose replay finds it back.
    if (!this.storeUp || this.abandoned) {
      // Not being attempted: once on disk nothing reads their rows again.
      releaseRows(await this.spoolWriter.write(batches));
      this.replayer.schedule(0);
      return;
    }
    const failed: Batch[] = [];
    this.attempting.push(...batches);
    const started = performance.now();
    try {
      await Promise.all(
        batches.map(async (b) => {
          if ((await this.attempt(b, this.o.insertTimeoutMs, false)) === 'failed') failed.push(b);
        }),
      );
    } finally {
      this.attempting = this.attempting.filter((b) => !batches.includes(b));
    }
    if (failed.length === 0) {
      let rows = 0;
      for (const b of batches) rows += b.rows;
      this.sizer.succeeded(rows, performance.now() - started);
    }
    if (this.abandoned) {
      // close() spools the batches it took when it stopped waiting (and may be writing them still); one that
      // started after that and failed is spooled here, not lost.
      const left = failed.filter((b) => !this.takenByClose.has(b));
      forgetRows(left);
      if (left.length > 0) await this.spoolWriter.write(left);
      return;
    }
    // Stored: no attempt of theirs is running any more. A failed attempt's insert may be (it timed out), so
    // the failed batches' memory is never reused.
    releaseRows(batches.filter((b) => !failed.includes(b)));
    forgetRows(failed);
    if (failed.length > 0) {
      await this.spoolWriter.write(failed);
      this.replayer.schedule(this.o.backoffBaseMs);
    }
  }

  /** One attempt at a batch (live or replayed), refused rows isolated and set aside. */
  private async attempt(b: Batch, timeoutMs: number, replaying: boolean): Promise<'ok' | 'failed'> {
    const { result, refused } = await attemptWithIsolation(
      b,
      (part) => this.insertOnce(part, timeoutMs, replaying),
      // close() stopped waiting and spooled this batch whole: the next start deals with it.
      () => this.abandoned,
    );
    for (const part of refused) await this.rejected.setAside(part.batch, part.err);
    return result;
  }

  /** One insert, bounded by `timeoutMs`; `{ refused }` when the store refused the data itself. */
  private async insertOnce(b: Batch, timeoutMs: number, replaying: boolean): Promise<InsertOutcome> {
    try {
      await withTimeout(insertBatch(this.store, b), timeoutMs, b.table);
      this.storeUp = true;
      this.metrics.inc(SINK_METRICS.sunk, b.rows, { table: b.table });
      if (replaying) this.metrics.inc(SINK_METRICS.replayed, b.rows, { table: b.table });
      return 'ok';
    } catch (err) {
      this.metrics.inc(SINK_METRICS.failures);
      if (isTimeout(err)) {
        // Slow, not down: the batch is spooled (its token makes a late landing harmless) and the next ones are
        // smaller, but live batches keep going to the store.
        if (replaying) this.replayer.timedOut();
        else this.sizer.timedOut(b.rows);
        diag('warn', COMPONENT, `${errorText(err)}; next batches take at most ${this.sizer.batchRows} rows`);
        return 'failed';
      }
      if (isRejected(err)) {
        this.storeUp = true; // it answered: no outage
        return { refused: err };
      }
      this.markDown(`insert of ${b.rows} rows into ${b.table} failed`, err);
      return 'failed';
    }
  }

  /** Moves every queued request to the spool without waiting for the store (close, past its grace). */
  private spill(): Promise<void> {
    const run = this.spilling.then(() => this.spoolWriter.spillQueue());
    this.spilling = run.catch((err: unknown) =>
      diag('error', COMPONENT, 'spilling to the spool failed', err),
    );
    return run;
  }

  /**
   * Batches held in memory (the spool could not take them) have no spooled record whose replay would find the
   * store back, and while it is down nothing tries them: the store is asked, every replay interval, and the
   * held batches are flushed once it answers.
   */
  private async probeForHeld(): Promise<void> {
    const wait = this.lastProbeAt + this.o.replayIntervalMs - Date.now();
    if (wait > 0) {
      this.replayer.schedule(wait);
      return;
    }
    this.lastProbeAt = Date.now();
    const up = await this.store.ping().catch(() => false);
    if (up) {
      this.storeUp = true;
      if (!this.inFlight) void this.flush();
    } else this.replayer.schedule(this.o.replayIntervalMs);
  }

  private markDown(what: string, err?: unknown): void {
    if (this.storeUp)
      diag(
        'warn',
        COMPONENT,
        `${what}; spooling to ${this.spool.dir} until ${this.store.location} is back`,
        err,
      );
    this.storeUp = false;
  }
}
