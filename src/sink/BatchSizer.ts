// How many rows the next insert takes (pure): sized to what the store absorbs in a target time, within bounds.

export interface BatchSizerOptions {
  /** Upper bound on rows per insert (the configured batch size). */
  maxRows: number;
  /** Lower bound on rows per insert. Default min(500, maxRows). */
  minRows?: number;
  /** How long one insert should take. Default 1000 ms. */
  targetMs: number;
}

/**
 * A store that is slower than the intake is not failing: its inserts just take longer. A fixed batch of
 * 20,000 rows on a busy embedded engine took past the insert timeout, so healthy inserts were abandoned and
 * spooled, and the store and the spool then worked on the same rows twice. The sizer keeps each insert near
 * `targetMs`: it measures the store's rows per second on each insert that was full enough to say something
 * (an insert of a few rows is mostly fixed overhead, which would shrink the batch for no reason), smooths it,
 * and sizes the next batch to that rate. A timed-out insert halves the size at once.
 */
export class BatchSizer {
  private readonly maxRows: number;
  private readonly minRows: number;
  private readonly targetMs: number;
  private rows: number;
  /** Smoothed rows per ms the store absorbed; undefined until the first full-enough insert. */
  private rate: number | undefined;

  constructor(options: BatchSizerOptions) {
    this.maxRows = Math.max(1, options.maxRows);
    this.minRows = Math.min(this.maxRows, Math.max(1, options.minRows ?? 500));
    this.targetMs = options.targetMs;
    this.rows = this.maxRows;
  }

  /** Rows the next insert may take. */
  get batchRows(): number {
    return this.rows;
  }

  /** An insert of `rows` rows succeeded in `ms` milliseconds. */
  succeeded(rows: number, ms: number): void {
    if (rows < this.rows / 2) return;
    const rate = rows / Math.max(ms, 1);
    // Half-weight smoothing: one slow insert (a merge, a GC pause) moves the size, but does not halve it.
    this.rate = this.rate === undefined ? rate : (this.rate + rate) / 2;
    this.rows = this.clamp(Math.round(this.rate * this.targetMs));
  }

  /** An insert of `rows` rows timed out: the store took far longer than targeted. */
  timedOut(rows: number): void {
    this.rate = undefined;
    this.rows = this.clamp(Math.floor(Math.min(rows, this.rows) / 2));
  }

  private clamp(rows: number): number {
    return Math.min(this.maxRows, Math.max(this.minRows, rows));
  }
}
