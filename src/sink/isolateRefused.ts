// One delivery attempt of a batch, isolating rows the store refuses as bad data (pure over the insert it is given).
import { splitBatch } from './batches.js';
import type { Batch } from './Batch.js';

/** What one insert came to: stored, failed (retry the whole batch), or refused as bad data by the store. */
export type InsertOutcome = 'ok' | 'failed' | { refused: unknown };

/** A part of a batch the store refused, with the store's error. */
export interface Refused {
  batch: Batch;
  err: unknown;
}

/**
 * One attempt at a batch: one insert, or when the store refuses its data, the inserts that isolate the
 * refused rows. 'ok' (with the refused parts to set aside) when every part was stored or refused; 'failed'
 * when the batch should be retried whole. Refused parts are only returned from a whole attempt: a retry may
 * split the batch along another path (a transient fault changes which parts are tried), so parts kept by a
 * failed attempt could overlap the retry's.
 * `stop` ends the isolation early as 'failed' (the sink is closing and has spooled the batch whole).
 */
export async function attemptWithIsolation(
  batch: Batch,
  insert: (b: Batch) => Promise<InsertOutcome>,
  stop: () => boolean = () => false,
): Promise<{ result: 'ok' | 'failed'; refused: Refused[] }> {
  const outcome = await insert(batch);
  if (typeof outcome === 'string') return { result: outcome, refused: [] };
  const refused: Refused[] = [];
  const result = await isolate(batch, outcome.refused, insert, stop, refused);
  return { result, refused: result === 'ok' ? refused : [] };
}

/**
 * The store refused the batch's data. One bad row must not cost its batch-mates: the halves are tried on
 * their own, and a refused half split again, down to the row, so only refused rows are collected. When both
 * halves are refused the fault is not one row (a schema change, a type error everywhere): the batch is
 * collected whole, which bounds the work to ~2·log2(rows) inserts. 'failed' when a part failed for another
 * reason: the caller retries the whole batch, and splitting it again gives the same parts with the same dedup
 * tokens (splitBatch), so parts already stored are not stored twice.
 */
async function isolate(
  b: Batch,
  err: unknown,
  insert: (b: Batch) => Promise<InsertOutcome>,
  stop: () => boolean,
  refused: Refused[],
): Promise<'ok' | 'failed'> {
  if (stop()) return 'failed';
  if (b.rows < 2) {
    refused.push({ batch: b, err });
    return 'ok';
  }
  const halves = splitBatch(b);
  const outcomes = [await insert(halves[0]), await insert(halves[1])];
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
        : await isolate(halves[i]!, outcome.refused, insert, stop, refused);
    if (next === 'failed') result = 'failed';
  }
  return result;
}
