// The sink's settings and their documented defaults.
import { DEFAULTS } from '../names.js';
import type { SpoolOptions } from './Spool.js';

export interface SpanSinkOptions {
  /** Folder of the on-disk spool (created if missing). Required: it is what makes an acknowledged span durable. */
  spoolDir: string;
  /** Most rows one insert takes; the sink sizes batches below it to what the store absorbs. Default 20 000. */
  batchSize?: number;
  /** Fewest rows an adapted batch is cut to (when that many are queued). Default 500. */
  minBatchSize?: number;
  /** How long one insert should take: batches are sized to what the store stores in this time. Default 1000 ms. */
  targetInsertMs?: number;
  /**
   * A flush starts once queued rows take this many encoded bytes, and one insert body holds at most this many
   * (always at least one request's rows). Bounds the memory of one insert when rows are large. Default 32 MiB.
   */
  batchBytes?: number;
  /** Queued rows are flushed at least this often. Default 1000 ms. */
  flushIntervalMs?: number;
  /** enqueue refuses past this many spans in memory (queued, in flight, held). Default 100 000. */
  maxQueuedSpans?: number;
  /**
   * enqueue refuses past this many bytes of rows in memory, as encoded for the store. Checked against the
   * request's size before its rows are encoded, so one request's rows may pass it. Default 256 MiB.
   */
  maxQueuedBytes?: number;
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
  minBatchSize: 500,
  targetInsertMs: 1000,
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

/** What close() could not keep: rows neither the store nor the spool took (0 unless the disk failed). */
export interface CloseReport {
  lostRows: number;
}

/** The options with every default filled in (an option given as undefined takes its default). */
export function resolveSinkOptions(options: SpanSinkOptions): Required<Omit<SpanSinkOptions, 'spool'>> {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...SINK_DEFAULTS, ...given, spoolDir: options.spoolDir };
}
