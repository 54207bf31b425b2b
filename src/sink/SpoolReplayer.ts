// Replays the spool into the store at the store's pace: one batch at a time, bounded retries, a growing timeout.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Metrics } from '../observe/Metrics.js';
import { diag } from '../observe/diag.js';
import { fullJitterDelay } from './backoff.js';
import type { Batch } from './Batch.js';
import { SINK_METRICS } from './sinkMetrics.js';
import type { Spool } from './Spool.js';

export interface ReplayerOptions {
  /** The insert timeout of live batches; replays start from it. */
  insertTimeoutMs: number;
  /** Attempts per spooled batch in one round before the round stops. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Pause between rounds while the store is down. */
  replayIntervalMs: number;
}

/** One delivery attempt of a spooled batch, bounded by `timeoutMs`. */
export type ReplayAttempt = (batch: Batch, timeoutMs: number) => Promise<'ok' | 'failed'>;

const COMPONENT = 'sink';
/** How far a replay's insert timeout may stretch (see lengthenTimeout). */
const REPLAY_TIMEOUT_GROWTH = 8;

/**
 * Rounds of replay: every spooled batch in order, each retried with exponential backoff (full jitter) a bounded
 * number of times; a round that stops waits replayIntervalMs. Replays run beside live inserts and never write
 * to the spool: a batch that fails stays where it is, and the next round tries it again.
 */
export class SpoolReplayer {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private readonly abort = new AbortController();
  /** How long a replayed insert may take (see lengthenTimeout). */
  private timeoutMs: number;

  constructor(
    private readonly spool: Spool,
    private readonly metrics: Metrics,
    private readonly o: ReplayerOptions,
    private readonly attempt: ReplayAttempt,
    /** Called after a round that left the spool empty (the sink then looks after batches held in memory). */
    private readonly onDrained: () => Promise<void>,
  ) {
    this.timeoutMs = o.insertTimeoutMs;
  }

  /** The round running now, if any. */
  get running(): Promise<void> | undefined {
    return this.round;
  }

  /** Starts a round after `delayMs`, unless one is scheduled already or the replayer is stopped. */
  schedule(delayMs: number): void {
    if (this.timer || this.abort.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.replay();
    }, delayMs);
    this.timer.unref();
  }

  /** Runs a round now (or joins the one running). */
  replay(): Promise<void> {
    this.round ??= this.runRound().finally(() => {
      this.round = undefined;
    });
    return this.round;
  }

  /** No new rounds or retries; an insert already running is not interrupted. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
  }

  /** A replayed insert timed out: see lengthenTimeout. */
  timedOut(): void {
    this.lengthenTimeout();
  }

  private async runRound(): Promise<void> {
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
        this.schedule(this.o.replayIntervalMs);
      } else if (this.spool.hasData) {
        this.schedule(0);
      } else {
        this.timeoutMs = this.o.insertTimeoutMs; // drained
        await this.onDrained();
      }
    } catch (err) {
      diag('error', COMPONENT, `replay of the spool at ${this.spool.dir} failed`, err);
      this.schedule(this.o.replayIntervalMs);
    }
  }

  private async replayOne(r: Batch): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.abort.signal.aborted) throw new Error('sink closing');
      if ((await this.attempt(r, this.timeoutMs)) === 'ok') return;
      if (attempt >= this.o.maxAttempts) throw new Error('attempts exhausted');
      this.metrics.inc(SINK_METRICS.retried);
      await sleep(fullJitterDelay(attempt, this.o.backoffBaseMs, this.o.backoffMaxMs), undefined, {
        signal: this.abort.signal,
        ref: false,
      }).catch(() => undefined);
    }
  }

  /**
   * A replayed batch whose insert outlasts the timeout is abandoned, yet lands (its token keeps it single);
   * tried again with the same timeout it would be abandoned again, and a store that is merely slower than
   * the timeout would hold the spool forever. So replays wait twice as long after each timeout, up to
   * REPLAY_TIMEOUT_GROWTH times the insert timeout, until the spool is drained.
   */
  private lengthenTimeout(): void {
    const cap = this.o.insertTimeoutMs * REPLAY_TIMEOUT_GROWTH;
    if (this.timeoutMs >= cap) return;
    this.timeoutMs = Math.min(cap, this.timeoutMs * 2);
    diag('warn', COMPONENT, `spool replay inserts now wait up to ${this.timeoutMs} ms (the store is slow)`);
  }
}
