// What an insert's failure means: bad data the store refuses (set it aside), a timeout (slow), or an outage.
import { settlesWithin } from './deadline.js';
import { StoreError } from './Store.js';

/**
 * ClickHouse error codes that mean the data itself is bad: retrying cannot help, so the batch is split until the
 * rows the store refuses are found, and those are set aside in the spool's `rejected` folder (counted).
 * Parse errors (6, 25, 26, 27, 38, 41, 72, 130), type and range errors (53, 69, 70, 321, 407), bad data (117),
 * a string too large (131), a CHECK constraint (469).
 */
const REJECTED_CODES = new Set([6, 25, 26, 27, 38, 41, 53, 69, 70, 72, 117, 130, 131, 321, 407, 469]);

/** True when the store refused the data itself (retrying cannot help). */
export function isRejected(err: unknown): boolean {
  const code = err instanceof StoreError ? /^CH_(\d+)$/.exec(err.code) : null;
  return code !== null && REJECTED_CODES.has(Number(code[1]));
}

/** Rejects with a TIMEOUT StoreError when the insert does not settle within `ms` (the attempt is abandoned). */
export async function withTimeout(work: Promise<void>, ms: number, table: string): Promise<void> {
  if (await settlesWithin(work, ms)) return work;
  throw new StoreError(`insert into ${table} took over ${ms} ms`, 'TIMEOUT');
}

/** True for the error withTimeout throws. */
export function isTimeout(err: unknown): boolean {
  return err instanceof StoreError && err.code === 'TIMEOUT';
}
