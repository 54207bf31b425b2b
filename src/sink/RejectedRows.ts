// Rows the store refused as bad data: kept on disk in the spool's rejected folder for a person, never replayed.
import { join } from 'node:path';
import type { Metrics } from '../observe/Metrics.js';
import { diag, errorText } from '../observe/diag.js';
import type { Batch } from './Batch.js';
import { bodyLength } from './body.js';
import { SINK_METRICS } from './sinkMetrics.js';

const COMPONENT = 'sink';
import { Spool, type SpoolOptions } from './Spool.js';

/** Folder under the spool where rows the store refused are kept, in spool format, for a person to look at. */
export const REJECTED_FOLDER = 'rejected';

/** The rejected folder of one sink's spool, opened on first use. */
export class RejectedRows {
  private spool: Spool | undefined;

  constructor(
    private readonly spoolDir: string,
    private readonly spoolOptions: SpoolOptions | undefined,
    private readonly metrics: Metrics,
  ) {}

  /** Keeps refused rows in the spool's rejected folder (never replayed by itself); dropped only when it is full. */
  async setAside(b: Batch, err: unknown): Promise<void> {
    const spool = (this.spool ??= new Spool(join(this.spoolDir, REJECTED_FOLDER), this.spoolOptions));
    const folder = spool.dir;
    try {
      if (!spool.hasRoom(bodyLength(b.body))) throw new Error(`${folder} is full (spool.max_bytes)`);
      await spool.append([b]);
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

  /** Closes the folder's open segment, if any. */
  async close(): Promise<void> {
    await this.spool?.close();
  }
}
