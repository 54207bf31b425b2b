// The bounded, batched writer behind the pipeline: memory queue → store, with retries and an on-disk spool.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULTS, TABLES } from '../names.js';
import type { Metrics } from '../observe/Metrics.js';
import { diag, errorText } from '../observe/diag.js';
import { fullJitterDelay } from './backoff.js';
import { bodyLength, bodyParts } from './body.js';
import { settlesWithin } from './deadline.js';
import { batchLength, combineInputs, encodeInput, freshToken, insertBatch, splitBatch } from './batches.js';
import type { EncodedInput, SinkInput, TableBatch, Unencodable } from './batches.js';
import type { SpanRecord } from '../records/types.js';
import { ROW_SLAB } from './rowSlab.js';
import { Spool } from './Spool.js';
import type { SpoolOptions } from './Spool.js';
import type { Store } from './Store.js';
import { StoreError } from './Store.js';

export type { SinkInput } from './batches.js';

export interface SpanSinkOptions {
  /** Folder of the on-disk spool (created if missing). Required: it is what makes an acknowledged span durable. */
  spoolDir: string;
  /** A flush starts once this many rows are queued, and one insert takes at most this many. Default 20 000. */
  batchSize?: number;
  /**
   * A flush starts once queued rows take this many encoded bytes, and one insert body holds at most this many
   * (always at least one request's rows). Bounds the memory of one insert when rows are large. Default 32 MiB.
   */
  batchBytes?: number;
  /** Queued rows are flushed at least this often. Default 1000 ms. */
  flushIntervalMs?: number;
  /** enqueue refuses past this many queued spans (including the batch in flight). Default 100 000. */
  maxQueuedSpans?: number;
  /**
   * enqueue refuses past this many bytes of queued rows, as encoded for the store (including the batch in
   * flight): the memory the queue holds. Checked against the request's size before its rows are encoded, so
   * one request's rows may pass it. Default 256 MiB.
   */
  maxQueuedBytes?: number;
  /** While an insert is in flight and the queue holds more bytes than this, new batches go to the spool. Default maxQueuedBytes / 2. */
  spillAboveBytes?: number;
  /** One insert attempt is abandoned (and its batch spooled) after this long. Default 10 000 ms. */
  insertTimeoutMs?: number;
  /** Attempts per spooled batch in one replay round before the round stops. Default 5. */
  maxAttempts?: number;
  /** Base of the exponential backoff between attempts (full jitter). Default 200 ms. */
  backoffBaseMs?: number;
  /** Cap of one backoff delay. Default 10 000 ms. */
  backoffMaxMs?: number;
  /** Pause between replay rounds while the store is down. Default 5000 ms. */
  replayIntervalMs?: number;
  /** close() waits this long for queued data to reach the store, then spools the rest. Default 5000 ms. */
  closeGraceMs?: number;
  spool?: SpoolOptions;
}

/** Documented defaults of SpanSinkOptions. */
export const SINK_DEFAULTS = {
  batchSize: DEFAULTS.batchRows,
  batchBytes: DEFAULTS.batchBytes,
  flushIntervalMs: DEFAULTS.flushIntervalMs,
  maxQueuedSpans: DEFAULTS.queueSpans,
  maxQueuedBytes: DEFAULTS.queueBytes,
  insertTimeoutMs: DEFAULTS.insertTimeoutMs,
  maxAttempts: DEFAULTS.retryAttempts,
  backoffBaseMs: DEFAULTS.retryInitialMs,
  backoffMaxMs: DEFAULTS.retryMaxMs,
  replayIntervalMs: 5000,
  closeGraceMs: 5000,
} as const;

/** Metric names the sink reports. */
export const SINK_METRICS = {
  queueSpans: 'prefloop_sink_queue_spans',
  queueBytes: 'prefloop_sink_queue_bytes',
  spoolBytes: 'prefloop_sink_spool_bytes',
  enqueued: 'prefloop_sink_enqueued_spans_total',
  refused: 'prefloop_sink_refused_spans_total',
  sunk: 'prefloop_sink_rows_sunk_total',
  failures: 'prefloop_sink_insert_failures_total',
  retried: 'prefloop_sink_insert_retries_total',
  spooled: 'prefloop_sink_rows_spooled_total',
  replayed: 'prefloop_sink_rows_replayed_total',
  dropped: 'prefloop_sink_rows_dropped_total',
  rejected: 'prefloop_sink_rows_rejected_total',
  spoolCorrupt: 'prefloop_sink_spool_corrupt_bytes_total',
} as const;

/**
 * ClickHouse error codes that mean the data itself is bad: retrying cannot help, so the batch is split until the
 * rows the store refuses are found, and those are set aside in the spool's `rejected` folder (counted).
 * Parse errors (6, 25, 26, 27, 38, 41, 72, 130), type and range errors (53, 69, 70, 321, 407), bad data (117),
 * a string too large (131), a CHECK constraint (469).
 */
const REJECTED_CODES = new Set([6, 25, 26, 27, 38, 41, 53, 69, 70, 72, 117, 130, 131, 321, 407, 469]);

/** Folder under the spool where rows the store refused are kept, in spool format, for a person to look at. */
export const REJECTED_FOLDER = 'rejected';

/** A part of a batch the store refused, with the store's error. */
interface Refused {
  batch: TableBatch;
  err: unknown;
}

const COMPONENT = 'sink';
/** How far lengthenReplayTimeout may stretch the insert timeout for replays. */
const REPLAY_TIMEOUT_GROWTH = 8;

/**
 * Invariant: a span that enqueue() accepted is in the store or in the spool, never only in memory longer
 * than the flush interval plus one insert attempt timeout. That is why a batch whose first attempt fails
 * is spooled at once and every retry (exponential backoff, full jitter, bounded attempts per round)
 * replays it from the spool with its dedup token: a retry that overlaps a late success stores nothing twice.
 */
export class SpanSink {
  private readonly o: Required<Omit<SpanSinkOptions, 'spool' | 'spillAboveBytes'>> & {
    spillAboveBytes: number;
  };
  private readonly spool: Spool;
  /** Rows the store refused (opened on first use): kept on disk rather than dropped. */
  private rejectedSpool: Spool | undefined;
  private readonly spoolOptions: SpoolOptions | undefined;
  private queue: EncodedInput[] = [];
  /** Rows and request bytes queued and not yet taken into a batch (they decide when a batch is full). */
  private queuedRows = 0;
  private queuedBytes = 0;
  private spans = 0;
  private bytes = 0;
  /**
   * Batches neither the store nor the spool took (spool full or failing): retried by a flush while the store
   * is up; while it is down, probeForHeld asks it every replay interval.
   */
  private held: TableBatch[] = [];
  /** Held batches taken out of `held` for a retry that has not ended: still in memory, still counted. */
  private retryingHeld: TableBatch[] = [];
  private storeUp = true;
  /** When probeForHeld last asked the store (ms since the epoch). */
  private lastProbeAt = 0;
  /** How long a replayed insert may take (see lengthenReplayTimeout); set from the options. */
  private replayTimeoutMs: number;
  private inFlight = false;
  /** Batches whose insert attempt is running (only in memory until it ends). */
  private attempting: TableBatch[] = [];
  /** Set when close() gave up waiting: attempts still running were spooled, their late outcome is ignored. */
  private abandoned = false;
  /** The batches close() spools itself, having given up on their running attempts. */
  private readonly takenByClose = new Set<TableBatch>();
  private flushChain: Promise<void> = Promise.resolve();
  /** The spill in progress: drain() waits for it, so flush() never resolves while entries are mid-spool. */
  private spilling: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private replayTimer: NodeJS.Timeout | undefined;
  private replaying: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private closing: Promise<void> | undefined;
  private started = false;

  constructor(
    private readonly store: Store,
    private readonly metrics: Metrics,
    options: SpanSinkOptions,
  ) {
    const maxQueuedBytes = options.maxQueuedBytes ?? SINK_DEFAULTS.maxQueuedBytes;
    this.o = {
      ...SINK_DEFAULTS,
      ...stripUndefined(options),
      spoolDir: options.spoolDir,
      maxQueuedBytes,
      spillAboveBytes: options.spillAboveBytes ?? Math.floor(maxQueuedBytes / 2),
    };
    this.replayTimeoutMs = this.o.insertTimeoutMs;
    this.spool = new Spool(options.spoolDir, options.spool);
    this.spoolOptions = options.spool;
    const m = metrics;
    m.gauge(
      SINK_METRICS.queueSpans,
      'Spans queued in memory, including the batch in flight and batches the spool could not take.',
      () => this.spans + this.heldLoad().spans,
    );
    m.gauge(
      SINK_METRICS.queueBytes,
      'Bytes of rows queued in memory (as encoded for the store), including the batch in flight and batches the spool could not take.',
      () => this.bytes + this.heldLoad().bytes,
    );
    m.gauge(SINK_METRICS.spoolBytes, 'Bytes in the on-disk spool.', () => this.spool.bytes);
    m.counter(SINK_METRICS.enqueued, 'Spans accepted by the sink.');
    m.counter(SINK_METRICS.refused, 'Spans refused because the queue was full or the sink closing.');
    m.counter(SINK_METRICS.sunk, 'Rows the store acknowledged, by table.');
    m.counter(SINK_METRICS.failures, 'Insert attempts that failed or timed out.');
    m.counter(SINK_METRICS.retried, 'Insert attempts that were retries.');
    m.counter(SINK_METRICS.spooled, 'Rows written to the spool, by table.');
    m.counter(SINK_METRICS.replayed, 'Spooled rows the store acknowledged on replay, by table.');
    m.counter(SINK_METRICS.dropped, 'Rows dropped, by table and reason.');
    m.counter(
      SINK_METRICS.rejected,
      `Rows the store refused as bad data, set aside in the spool's ${REJECTED_FOLDER} folder, by table.`,
    );
    m.counter(SINK_METRICS.spoolCorrupt, 'Bytes of corrupt or torn spool tails skipped.');
  }

  /** True when a request of `spans` spans and `bytes` bytes fits in the queue now. */
  hasRoom(spans: number, bytes: number): boolean {
    const held = this.heldLoad();
    return (
      this.closing === undefined &&
      this.spans + held.spans + spans <= this.o.maxQueuedSpans &&
      this.bytes + held.bytes + bytes <= this.o.maxQueuedBytes
    );
  }

  /**
   * Spans and bytes of batches neither the store nor the spool took (spool full or failing): they are still
   * in memory, so they still count against the queue bounds — else a full spool would let memory grow.
   */
  private heldLoad(): { spans: number; bytes: number } {
    let spans = 0;
    let bytes = 0;
    for (const list of [this.held, this.retryingHeld]) {
      for (const b of list) {
        bytes += bodyLength(b.body);
        if (b.table === TABLES.traces) spans += b.rows;
      }
    }
    return { spans, bytes };
  }

  /** Why a request could never fit, even in an empty queue (then retrying it is pointless); else undefined. */
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
    input: SinkInput,
    bytes: number,
    onUnencodable?: (record: SpanRecord | undefined, why: string) => void,
  ): boolean {
    const spans = input.spans.length;
    if (!this.hasRoom(spans, bytes)) {
      this.metrics.inc(SINK_METRICS.refused, spans);
      return false;
    }
    this.push(this.encode(input, 'left out', (left, why) => onUnencodable?.(left.span, why)));
    return true;
  }

  /**
   * encodeInput, with each record it had to leave out logged (`fate`: what becomes of it) and handed to
   * `onUnencodable` (with its span, when it was one).
   */
  private encode(
    input: SinkInput,
    fate: string,
    onUnencodable: (left: Unencodable, why: string) => void,
  ): EncodedInput {
    const encoded = encodeInput(input);
    for (const left of encoded.unencodable ?? []) {
      const why = `${left.what} could not be encoded for the store (${errorText(left.error)})`;
      onUnencodable(left, why);
      diag('error', COMPONENT, `${why}; ${fate}`, left.error);
    }
    return encoded;
  }

  /**
   * Starts the flush timer and the replay of what the spool holds, in the background: new batches queue up
   * behind the spool (order holds), and close() waits for the replay within its grace period.
   */
  start(): Promise<void> {
    if (this.started) return Promise.resolve();
    this.started = true;
    this.timer = setInterval(() => this.tick(), this.o.flushIntervalMs);
    this.timer.unref();
    // Not awaited: a down or slow store must not hold start-up for a whole replay round, and while the round
    // backs off on unref'd timers nothing would keep a process that awaits it alive (it exited with code 13).
    if (this.spool.hasData) void this.replay();
    return Promise.resolve();
  }

  /**
   * Queues rows of a request that was already acknowledged (spans held for an LLM judge, late judge results).
   * They bypass the queue bound: refusing them now would lose data the client was told is safe. The overshoot
   * is bounded by the judges' concurrency and wait cap.
   */
  enqueueAcknowledged(input: SinkInput): void {
    // Already answered 200: a record that cannot be encoded can no longer be refused, so it is counted as dropped.
    this.push(
      this.encode(input, 'dropped', (left) =>
        this.metrics.inc(SINK_METRICS.dropped, 1, { table: left.table, reason: 'unencodable' }),
      ),
    );
  }

  /**
   * Queues one request's encoded rows. From here on the queue holds those bytes, not the request: that is
   * what its byte bound counts (acknowledged rows too — they take memory, so later requests see less room).
   */
  private push(encoded: EncodedInput): void {
    if (encoded.rows === 0) return;
    this.queue.push(encoded);
    this.queuedRows += encoded.rows;
    this.queuedBytes += encoded.bytes;
    this.spans += encoded.spans;
    this.bytes += encoded.bytes;
    this.metrics.inc(SINK_METRICS.enqueued, encoded.spans);
    if (this.batchIsFull()) this.kick();
  }

  /** Resolves once everything queued before the call is in the store or in the spool. */
  flush(): Promise<void> {
    const run = this.flushChain.then(() => this.drain());
    this.flushChain = run.catch((err: unknown) => diag('error', COMPONENT, 'flush failed', err));
    return this.flushChain;
  }

  /** True when the last store contact succeeded and nothing is stuck in memory. */
  isHealthy(): boolean {
    return this.closing === undefined && this.storeUp && this.held.length === 0;
  }

  /** Drains within closeGraceMs, then spools what is left. Runs once; the store is left open for its owner. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
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
      this.markDown('close grace period over');
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
      this.forgetRows(running);
      await this.spill();
      if (running.length > 0) await this.toSpool(running);
    } else {
      await drained;
    }
    // A replay round already talking to a live store may finish within the grace; the rest stays spooled.
    if (this.replaying) await withinGrace(this.replaying);
    clearTimeout(this.replayTimer);
    this.abort.abort();
    // Past the grace a replay attempt may hang on the store; its record is on disk, so it is not waited for.
    if (!this.abandoned) await this.replaying;
    if (this.held.length > 0) {
      let rows = 0;
      let unconfirmedRows = 0;
      for (const b of this.held) {
        // An insert abandoned mid-flight may still land: counted apart, so the count of rows lost is not
        // overstated by rows that reached the store after all.
        const inFlight = unconfirmed.has(b.token);
        rows += b.rows;
        if (inFlight) unconfirmedRows += b.rows;
        this.metrics.inc(SINK_METRICS.dropped, b.rows, {
          table: b.table,
          reason: inFlight ? 'no_spool_unconfirmed' : 'no_spool',
        });
      }
      const maybe =
        unconfirmedRows > 0
          ? ` (${unconfirmedRows} of them were still being inserted when the grace period ended, and may have reached the store)`
          : '';
      diag(
        'error',
        COMPONENT,
        `closing with ${rows} rows neither the store nor the spool at ${this.spool.dir} took${maybe}`,
      );
      this.held = [];
    }
    await this.spool.close();
    await this.rejectedSpool?.close();
  }

  private tick(): void {
    if (this.inFlight && this.bytes > this.o.spillAboveBytes) {
      void this.spill();
      return;
    }
    // Held batches wait while the store is down (probeForHeld asks it); trying them every tick would only
    // find the spool still unable to take them.
    if (this.queue.length > 0 || (this.held.length > 0 && this.storeUp)) void this.flush();
  }

  private kick(): void {
    if (!this.inFlight) void this.flush();
  }

  /** Writes the queue in batches of batchSize rows. */
  private async drain(): Promise<void> {
    await this.spilling;
    if (this.held.length > 0) {
      const held = this.held;
      this.held = [];
      // Counted while the retry runs (a batch held again meanwhile counts twice until it ends: erring on
      // the side of refusing a request rather than growing past the bound).
      this.retryingHeld = held;
      try {
        await this.deliver(held);
      } finally {
        this.retryingHeld = [];
      }
    }
    while (this.queue.length > 0) {
      const entries = this.take();
      this.inFlight = true;
      try {
        await this.deliver(combineInputs(entries, freshToken));
      } finally {
        this.inFlight = false;
        this.uncount(entries);
      }
    }
    // A spill that started while the last insert was in flight holds entries that are in neither place yet.
    await this.spilling;
  }

  /** True once the queue holds a whole batch (by rows or by bytes). */
  private batchIsFull(): boolean {
    return this.queuedRows >= this.o.batchSize || this.queuedBytes >= this.o.batchBytes;
  }

  /** Takes the next batch's entries off the queue. */
  private take(): EncodedInput[] {
    const entries = this.queue.slice(0, batchLength(this.queue, this.o.batchSize, this.o.batchBytes));
    this.queue = this.queue.slice(entries.length);
    for (const e of entries) {
      this.queuedRows -= e.rows;
      this.queuedBytes -= e.bytes;
    }
    return entries;
  }

  /** Takes entries that left the queue (stored, spooled or held) out of its span and byte counts. */
  private uncount(entries: EncodedInput[]): void {
    for (const e of entries) {
      this.spans -= e.spans;
      this.bytes -= e.bytes;
    }
  }

  /** One attempt per table batch; what fails goes to the spool (whose replay retries it). */
  private async deliver(batches: TableBatch[]): Promise<void> {
    // While a backlog is spooled, new batches queue up behind it so order holds and a down store is not hammered.
    if (!this.storeUp || this.spool.hasData || this.abandoned) {
      // Not being attempted: new batches, or held ones (copies of their own, or forgotten after a failed
      // attempt). Once on disk nothing reads their rows again.
      this.releaseRows(await this.toSpool(batches));
      this.scheduleReplay(0);
      return;
    }
    const failed: TableBatch[] = [];
    this.attempting.push(...batches);
    try {
      await Promise.all(
        batches.map(async (b) => {
          if ((await this.attempt(b)) === 'failed') failed.push(b);
        }),
      );
    } finally {
      this.attempting = this.attempting.filter((b) => !batches.includes(b));
    }
    if (this.abandoned) {
      // close() spools the batches it took when it stopped waiting (and may be writing them still); one that
      // started after that and failed is spooled here, not lost.
      const left = failed.filter((b) => !this.takenByClose.has(b));
      this.forgetRows(left);
      if (left.length > 0) await this.toSpool(left);
      return;
    }
    // Stored: no attempt of theirs is running any more. A failed attempt's insert may be (it timed out), so
    // the failed batches' memory is never reused.
    this.releaseRows(batches.filter((b) => !failed.includes(b)));
    this.forgetRows(failed);
    if (failed.length > 0) {
      await this.toSpool(failed);
      this.scheduleReplay(this.o.backoffBaseMs);
    }
  }

  /**
   * One delivery attempt of a batch: one insert, or when the store refuses its data, the inserts that isolate
   * the refused rows (see isolate). 'ok' also when rows were set aside; 'failed' when the batch should be retried.
   * Refused parts are set aside only once the whole attempt is done: a retry may split the batch along another
   * path (a transient fault changes which parts are tried), so parts kept by a failed attempt could overlap
   * the retry's, and a crash in between would leave them kept with nothing to say so.
   */
  private async attempt(b: TableBatch, replaying = false): Promise<'ok' | 'failed'> {
    const outcome = await this.insertOnce(b, replaying);
    if (typeof outcome === 'string') return outcome;
    const refused: Refused[] = [];
    if ((await this.isolate(b, outcome.refused, replaying, refused)) === 'failed') return 'failed';
    for (const part of refused) await this.setAside(part.batch, part.err);
    return 'ok';
  }

  /** One insert, bounded by insertTimeoutMs; `{ refused }` when the store refused the data itself. */
  private async insertOnce(
    b: TableBatch,
    replaying: boolean,
  ): Promise<'ok' | 'failed' | { refused: unknown }> {
    try {
      const timeoutMs = replaying ? this.replayTimeoutMs : this.o.insertTimeoutMs;
      await withTimeout(insertBatch(this.store, b), timeoutMs, b.table);
      this.storeUp = true;
      this.metrics.inc(SINK_METRICS.sunk, b.rows, { table: b.table });
      if (replaying) this.metrics.inc(SINK_METRICS.replayed, b.rows, { table: b.table });
      return 'ok';
    } catch (err) {
      this.metrics.inc(SINK_METRICS.failures);
      if (replaying && err instanceof StoreError && err.code === 'TIMEOUT') this.lengthenReplayTimeout();
      if (isRejected(err)) {
        this.storeUp = true; // it answered: no outage
        return { refused: err };
      }
      this.markDown(`insert of ${b.rows} rows into ${b.table} failed`, err);
      return 'failed';
    }
  }

  /**
   * The store refused the batch's data. One bad row must not cost its batch-mates: the halves are tried on
   * their own, and a refused half split again, down to the row, so only refused rows are collected in
   * `refused`. When both halves are refused the fault is not one row (a schema change, a type error
   * everywhere): the batch is collected whole, which bounds the work to ~2·log2(rows) inserts. 'failed'
   * when a part failed for another reason: the caller retries the whole batch, and splitting it again gives
   * the same parts with the same dedup tokens, so parts already stored are not stored twice.
   */
  private async isolate(
    b: TableBatch,
    err: unknown,
    replaying: boolean,
    refused: Refused[],
  ): Promise<'ok' | 'failed'> {
    // close() stopped waiting and spooled this batch whole: the next start deals with it.
    if (this.abandoned) return 'failed';
    if (b.rows < 2) {
      refused.push({ batch: b, err });
      return 'ok';
    }
    const halves = splitBatch(b);
    const outcomes = [
      await this.insertOnce(halves[0], replaying),
      await this.insertOnce(halves[1], replaying),
    ];
    if (typeof outcomes[0] !== 'string' && typeof outcomes[1] !== 'string') {
      refused.push({ batch: b, err });
      return 'ok';
    }
    let result: 'ok' | 'failed' = 'ok';
    for (let i = 0; i < 2; i++) {
      const outcome = outcomes[i]!;
      const next =
        typeof outcome === 'string'
          ? outcome
          : await this.isolate(halves[i]!, outcome.refused, replaying, refused);
      if (next === 'failed') result = 'failed';
    }
    return result;
  }

  /** Keeps refused rows in the spool's rejected folder (never replayed by itself); dropped only when it is full. */
  private async setAside(b: TableBatch, err: unknown): Promise<void> {
    this.rejectedSpool ??= new Spool(join(this.o.spoolDir, REJECTED_FOLDER), this.spoolOptions);
    const folder = this.rejectedSpool.dir;
    try {
      if (!this.rejectedSpool.hasRoom(bodyLength(b.body)))
        throw new Error(`${folder} is full (spool.max_bytes)`);
      await this.rejectedSpool.append([b]);
      this.metrics.inc(SINK_METRICS.rejected, b.rows, { table: b.table });
      diag(
        'error',
        COMPONENT,
        `the store refused ${b.rows} rows for ${b.table}; they are kept in ${folder}`,
        err,
      );
    } catch (writeErr) {
      this.metrics.inc(SINK_METRICS.dropped, b.rows, { table: b.table, reason: 'rejected' });
      diag(
        'error',
        COMPONENT,
        `the store refused ${b.rows} rows for ${b.table} (${errorText(err)}) and ${folder} cannot keep them; they are dropped`,
        writeErr,
      );
    }
  }

  /** Appends the batches to the spool, holding in memory what it cannot take; returns those it took. */
  private async toSpool(batches: TableBatch[]): Promise<TableBatch[]> {
    const fits = batches.filter((b) => this.spool.hasRoom(bodyLength(b.body)));
    const over = batches.filter((b) => !fits.includes(b));
    if (over.length > 0)
      diag('warn', COMPONENT, `spool at ${this.spool.dir} is full; keeping ${over.length} batches in memory`);
    try {
      if (fits.length > 0) await this.spool.append(fits);
      for (const b of fits) this.metrics.inc(SINK_METRICS.spooled, b.rows, { table: b.table });
      this.hold(over);
      return fits;
    } catch (err) {
      diag(
        'error',
        COMPONENT,
        `cannot write the spool at ${this.spool.dir}; keeping the batches in memory`,
        err,
      );
      this.hold(batches);
      return [];
    }
  }

  /**
   * Hands the batches' row memory back for new requests (see ROW_SLAB). Only for batches whose rows are in the
   * store or the spool and that no running insert attempt still reads.
   */
  private releaseRows(batches: readonly TableBatch[]): void {
    for (const b of batches) ROW_SLAB.release(b.body);
  }

  /** Makes sure the batches' row memory is never reused, whatever becomes of them (see ROW_SLAB.forget). */
  private forgetRows(batches: readonly TableBatch[]): void {
    for (const b of batches) ROW_SLAB.forget(b.body);
  }

  /**
   * Keeps batches neither the store nor the spool took, each body joined once: a held batch is retried whole,
   * and joined for every attempt it would hold a second copy of itself while the insert runs.
   */
  private hold(batches: readonly TableBatch[]): void {
    for (const b of batches) {
      // A copy of its own, out of ROW_SLAB: a held copy would keep its whole chunk from reuse, so memory held
      // would be up to twice what the queue bound counts. The slab's copy is released (a forgotten one stays
      // out of reuse: its timed-out insert may still read it).
      const body = Buffer.concat(bodyParts(b.body), bodyLength(b.body)); // always a new buffer
      ROW_SLAB.release(b.body);
      this.held.push({ ...b, body });
    }
  }

  /** Moves every queued entry to the spool without waiting for the store (memory bound, or close). */
  private spill(): Promise<void> {
    const run = this.spilling.then(() => this.spillNow());
    this.spilling = run.catch((err: unknown) =>
      diag('error', COMPONENT, 'spilling to the spool failed', err),
    );
    return run;
  }

  private async spillNow(): Promise<void> {
    if (this.queue.length === 0) return;
    const entries = this.queue;
    this.queue = [];
    this.queuedRows = 0;
    this.queuedBytes = 0;
    try {
      // Taken off the queue before any attempt: once on disk, nothing reads their rows again.
      this.releaseRows(await this.toSpool(combineInputs(entries, freshToken)));
    } finally {
      this.uncount(entries);
    }
    this.scheduleReplay(0);
  }

  private scheduleReplay(delayMs: number): void {
    if (this.replayTimer || this.abort.signal.aborted) return;
    this.replayTimer = setTimeout(() => {
      this.replayTimer = undefined;
      void this.replay();
    }, delayMs);
    this.replayTimer.unref();
  }

  /** One replay round: every spooled batch in order, each with bounded retries; reschedules itself. */
  private replay(): Promise<void> {
    this.replaying ??= this.replayRound().finally(() => {
      this.replaying = undefined;
    });
    return this.replaying;
  }

  /**
   * A replayed batch whose insert outlasts the timeout is abandoned, yet lands (its token keeps it single);
   * tried again with the same timeout it would be abandoned again, and a store that is merely slower than
   * the timeout would hold the spool forever. So replays wait twice as long after each timeout, up to
   * REPLAY_TIMEOUT_GROWTH times the insert timeout, until the spool is drained.
   */
  private lengthenReplayTimeout(): void {
    const cap = this.o.insertTimeoutMs * REPLAY_TIMEOUT_GROWTH;
    if (this.replayTimeoutMs >= cap) return;
    this.replayTimeoutMs = Math.min(cap, this.replayTimeoutMs * 2);
    diag(
      'warn',
      COMPONENT,
      `spool replay inserts now wait up to ${this.replayTimeoutMs} ms (the store is slow)`,
    );
  }

  private async replayRound(): Promise<void> {
    try {
      const outcome = await this.spool.replay(
        (r) => this.replayOne(r),
        (segment, bytes) => {
          this.metrics.inc(SINK_METRICS.spoolCorrupt, bytes);
          diag(
            'error',
            COMPONENT,
            `spool segment ${segment} ends in ${bytes} corrupt bytes; they are skipped`,
          );
        },
      );
      if (outcome.stopped) {
        this.scheduleReplay(this.o.replayIntervalMs);
      } else if (this.spool.hasData) {
        this.scheduleReplay(0);
      } else {
        this.replayTimeoutMs = this.o.insertTimeoutMs; // drained
        if (this.held.length > 0 && !this.storeUp) await this.probeForHeld();
      }
    } catch (err) {
      diag('error', COMPONENT, `replay of the spool at ${this.spool.dir} failed`, err);
      this.scheduleReplay(this.o.replayIntervalMs);
    }
  }

  /**
   * Batches held in memory (the spool could not take them) have no spooled record whose replay would find the
   * store back, and while it is down nothing tries them: the store is asked, every replay interval, and the
   * held batches are flushed once it answers. Without this they waited for the next start, and were dropped
   * by close.
   */
  private async probeForHeld(): Promise<void> {
    const wait = this.lastProbeAt + this.o.replayIntervalMs - Date.now();
    if (wait > 0) {
      this.scheduleReplay(wait);
      return;
    }
    this.lastProbeAt = Date.now();
    const up = await this.store.ping().catch(() => false);
    if (up) {
      this.storeUp = true;
      this.kick();
    } else this.scheduleReplay(this.o.replayIntervalMs);
  }

  private async replayOne(r: TableBatch): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.abort.signal.aborted) throw new Error('sink closing');
      if ((await this.attempt(r, true)) === 'ok') return;
      if (attempt >= this.o.maxAttempts) throw new Error('attempts exhausted');
      this.metrics.inc(SINK_METRICS.retried);
      await sleep(fullJitterDelay(attempt, this.o.backoffBaseMs, this.o.backoffMaxMs), undefined, {
        signal: this.abort.signal,
        ref: false,
      }).catch(() => undefined);
    }
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

function isRejected(err: unknown): boolean {
  const code = err instanceof StoreError ? /^CH_(\d+)$/.exec(err.code) : null;
  return code !== null && REJECTED_CODES.has(Number(code[1]));
}

/** Rejects with a TIMEOUT StoreError when the insert does not settle within `ms` (the attempt is abandoned). */
async function withTimeout(work: Promise<void>, ms: number, table: string): Promise<void> {
  if (await settlesWithin(work, ms)) return work;
  throw new StoreError(
    `insert into ${table} took over ${ms} ms; raise insertTimeoutMs if the store is just slow`,
    'TIMEOUT',
  );
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
