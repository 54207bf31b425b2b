// What the sink holds in memory, and its accounting: requests waiting, those in the insert in flight, held batches.
import { TABLES } from '../names.js';
import { bodyLength, bodyParts } from './body.js';
import { batchLength, type EncodedRequest } from './batches.js';
import type { Batch } from './Batch.js';
import { ROW_SLAB } from './rowSlab.js';

/** Spans, rows and bytes of rows in memory. */
export interface Load {
  spans: number;
  rows: number;
  bytes: number;
}

/**
 * Everything the sink has acknowledged and not yet handed to the store or the spool. The bounds count all of
 * it: requests waiting for a batch, requests in the batch being delivered (until it is stored or spooled), and
 * held batches (the spool could not take them), so a full spool can never let memory grow past the bounds.
 */
export class MemoryQueue {
  private waiting: EncodedRequest[] = [];
  /** Rows and bytes waiting, not yet taken into a batch (they decide when a batch is full). */
  private waitingRows = 0;
  private waitingBytes = 0;
  /** Waiting and taken requests, until settled. */
  private requests: Load = { spans: 0, rows: 0, bytes: 0 };
  /** Batches neither the store nor the spool took: retried whole by a later flush. */
  private held: Batch[] = [];
  /** Held batches taken out of `held` for a retry that has not ended: still in memory, still counted. */
  private retrying: Batch[] = [];

  /** Requests waiting for a batch. */
  get length(): number {
    return this.waiting.length;
  }

  /** True when the waiting requests make a whole batch, by rows or by bytes. */
  hasBatch(maxRows: number, maxBytes: number): boolean {
    return this.waitingRows >= maxRows || this.waitingBytes >= maxBytes;
  }

  /** Everything in memory. */
  load(): Load {
    const load = { ...this.requests };
    for (const list of [this.held, this.retrying]) {
      for (const b of list) {
        load.bytes += bodyLength(b.body);
        load.rows += b.rows;
        if (b.table === TABLES.traces) load.spans += b.rows;
      }
    }
    return load;
  }

  /** Rows in held batches (all tables). */
  heldRows(): number {
    let rows = 0;
    for (const list of [this.held, this.retrying]) for (const b of list) rows += b.rows;
    return rows;
  }

  get hasHeld(): boolean {
    return this.held.length > 0;
  }

  push(e: EncodedRequest): void {
    this.waiting.push(e);
    this.waitingRows += e.rows;
    this.waitingBytes += e.bytes;
    this.requests.spans += e.spans;
    this.requests.rows += e.rows;
    this.requests.bytes += e.bytes;
  }

  /** The next batch's requests: whole requests while they fit (at least one). Counted until settled. */
  take(maxRows: number, maxBytes: number): EncodedRequest[] {
    return this.takeFirst(batchLength(this.waiting, maxRows, maxBytes));
  }

  /** Every waiting request (a spill). Counted until settled. */
  takeAll(): EncodedRequest[] {
    return this.takeFirst(this.waiting.length);
  }

  /** Requests taken earlier left memory (stored, spooled, or copied into held batches). */
  settle(entries: readonly EncodedRequest[]): void {
    for (const e of entries) {
      this.requests.spans -= e.spans;
      this.requests.rows -= e.rows;
      this.requests.bytes -= e.bytes;
    }
  }

  /**
   * Keeps batches neither the store nor the spool took, each in a body of its own: out of ROW_SLAB (a held
   * copy would keep its whole chunk from reuse, so memory held would be up to twice what the bounds count),
   * and joined once (a held batch is retried whole; joined for every attempt it would hold a second copy).
   */
  hold(batches: readonly Batch[]): void {
    for (const b of batches) {
      const body = Buffer.concat(bodyParts(b.body), bodyLength(b.body)); // always a new buffer
      // The slab's copy is released (a forgotten one stays out of reuse: its timed-out insert may read it).
      ROW_SLAB.release(b.body);
      this.held.push({ ...b, body });
    }
  }

  /**
   * Takes the held batches for a retry; they stay counted until `retried` (a batch held again meanwhile
   * counts twice until then: erring on the side of refusing a request rather than growing past the bound).
   */
  takeHeld(): Batch[] {
    const held = this.held;
    this.held = [];
    this.retrying = held;
    return held;
  }

  /** The retry of the held batches ended. */
  retried(): void {
    this.retrying = [];
  }

  /** Removes and returns every held batch (close gives up on them, or writes them out). */
  dropHeld(): Batch[] {
    const held = this.held;
    this.held = [];
    return held;
  }

  private takeFirst(n: number): EncodedRequest[] {
    const entries = this.waiting.slice(0, n);
    this.waiting = this.waiting.slice(n);
    for (const e of entries) {
      this.waitingRows -= e.rows;
      this.waitingBytes -= e.bytes;
    }
    return entries;
  }
}
