// Writes batches to the spool for the sink, holding in memory what it cannot take, and says what close gave up.
import type { Metrics } from '../observe/Metrics.js';
import { diag } from '../observe/diag.js';
import type { Batch } from './Batch.js';
import { combineRequests, freshToken } from './batches.js';
import { releaseRows } from './rowSlab.js';
import { bodyLength } from './body.js';
import type { MemoryQueue } from './MemoryQueue.js';
import { SINK_METRICS } from './sinkMetrics.js';
import type { CloseReport } from './sinkOptions.js';
import type { Spool } from './Spool.js';

const COMPONENT = 'sink';

export class SpoolWriter {
  constructor(
    private readonly spool: Spool,
    private readonly queue: MemoryQueue,
    private readonly metrics: Metrics,
    /** False while the sink closes: then the spool's bound does not apply. */
    private readonly bounded: () => boolean,
  ) {}

  /**
   * Appends the batches to the spool, holding in memory what it cannot take; returns those it took. While
   * closing, the spool's bound does not apply: only a failing disk keeps a batch out.
   */
  async write(batches: Batch[]): Promise<Batch[]> {
    const bounded = this.bounded();
    const fits = bounded ? batches.filter((b) => this.spool.hasRoom(bodyLength(b.body))) : batches;
    const over = batches.filter((b) => !fits.includes(b));
    if (over.length > 0)
      diag('warn', COMPONENT, `spool at ${this.spool.dir} is full; keeping ${over.length} batches in memory`);
    try {
      if (fits.length > 0) await this.spool.append(fits);
      for (const b of fits) this.metrics.inc(SINK_METRICS.spooled, b.rows, { table: b.table });
      this.queue.hold(over);
      return fits;
    } catch (err) {
      diag(
        'error',
        COMPONENT,
        `cannot write the spool at ${this.spool.dir}; keeping the batches in memory`,
        err,
      );
      this.queue.hold(batches);
      return [];
    }
  }

  /** Counts and reports rows neither the store nor the spool took at close (the disk failed). */
  giveUp(lost: readonly Batch[], unconfirmed: ReadonlySet<string>): CloseReport {
    let rows = 0;
    let unconfirmedRows = 0;
    for (const b of lost) {
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
    if (rows > 0) {
      const maybe =
        unconfirmedRows > 0
          ? ` (${unconfirmedRows} of them were still being inserted when the grace period ended, and may have reached the store)`
          : '';
      diag(
        'error',
        COMPONENT,
        `closing with ${rows} rows neither the store nor the spool at ${this.spool.dir} took${maybe}`,
      );
    }
    return { lostRows: rows };
  }

  /** Moves every queued request to the spool without waiting for the store (close, past its grace). */
  async spillQueue(): Promise<void> {
    if (this.queue.length === 0) return;
    const entries = this.queue.takeAll();
    try {
      // Taken off the queue before any attempt: once on disk, nothing reads their rows again.
      releaseRows(await this.write(combineRequests(entries, freshToken)));
    } finally {
      this.queue.settle(entries);
    }
  }
}
