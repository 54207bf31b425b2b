// Memory for encoded rows while they are queued: carved from large chunks that are reused once every row
// carved from them is in the store or the spool (pure).
import { bodyParts, type Body } from './body.js';

/**
 * Why: a request's rows are megabytes (~5 KB a span with the default rubrics), held until the store or the
 * spool has them. As a fresh buffer each, they are memory outside V8's heap that V8 counts, and every 64 MB
 * or so of it makes V8 collect garbage early ("external memory pressure"), whatever the heap holds. In the
 * bench's rubric run, with all of V8's work on the main thread (two runs each): 22–23 such collections
 * against 10–11 with rows in reused chunks; marking 419–425 ms against 262–322, full collections 154–158 ms
 * against 100–134.
 *
 * Safety rests on one rule: `release` is called for a body only once nothing will read its bytes again (the
 * store acknowledged them, or the spool wrote them, and no attempt that might still read them is running).
 * A copy never released keeps its whole chunk from reuse while it is reachable, and the chunk is left to the
 * garbage collector once no copy in it is: so whatever keeps rows for long (held batches) copies them out.
 */
export class RowSlab {
  private current: Chunk | undefined;
  private at = 0;
  private free: Chunk[] = [];
  /** Every carved view not yet released or forgotten: releasing one twice, or one not carved here, does nothing. */
  private readonly carved = new WeakMap<Uint8Array, Chunk>();
  /** Chunks reused so far (for tests and the curious). */
  reused = 0;

  /**
   * `chunkBytes`: the size of a chunk; rows longer than a quarter of it get a buffer of their own.
   * `maxFreeChunks`: chunks kept for reuse while none is needed; past that they are left to the collector.
   */
  constructor(
    private readonly chunkBytes = 16 * 1024 * 1024,
    private readonly maxFreeChunks = 4,
  ) {}

  /** A copy of `bytes` that lives until released (see the class's rule). */
  copyOf(bytes: Uint8Array): Buffer {
    const n = bytes.length;
    if (n === 0 || n > this.chunkBytes / 4) return Buffer.from(bytes);
    if (!this.current || this.at + n > this.chunkBytes) this.nextChunk();
    const chunk = this.current!;
    const view = chunk.memory.subarray(this.at, this.at + n);
    view.set(bytes);
    this.at += n;
    chunk.live += 1;
    this.carved.set(view, chunk);
    return view;
  }

  /** Hands back the body's buffers that copyOf made; others are left alone. */
  release(body: Body): void {
    for (const part of bodyParts(body)) {
      const chunk = this.carved.get(part);
      if (!chunk) continue;
      this.carved.delete(part);
      chunk.live -= 1;
      if (chunk.live === 0 && chunk !== this.current) this.keep(chunk);
    }
  }

  /**
   * Takes the body's buffers out of reuse for good: for rows something may still read at an unknown time (an
   * insert attempt that timed out and runs on). Releasing them later changes nothing; their chunk is left to
   * the garbage collector once it is no longer read.
   */
  forget(body: Body): void {
    for (const part of bodyParts(body)) this.carved.delete(part);
  }

  private nextChunk(): void {
    const old = this.current;
    // The chunk being filled is never reused under its own writer; once left, it is as soon as it is empty.
    if (old && old.live === 0) this.keep(old);
    const taken = this.free.pop();
    if (taken) this.reused += 1;
    this.current = taken ?? { memory: Buffer.allocUnsafeSlow(this.chunkBytes), live: 0 };
    this.at = 0;
  }

  private keep(chunk: Chunk): void {
    if (this.free.length < this.maxFreeChunks) this.free.push(chunk);
  }
}

interface Chunk {
  memory: Buffer;
  /** Views carved from it and not yet released. */
  live: number;
}

/**
 * The process's slab for queued rows: encodeRequest carves a request's rows from it (LineBuffer.finish), and
 * SpanSink releases them once stored or spooled. Up to 80 MiB stay when idle: four free chunks and the one
 * being filled.
 */
export const ROW_SLAB = new RowSlab();

/**
 * Hands the batches' row memory back for new requests (see ROW_SLAB). Only for batches whose rows are in the
 * store or the spool and that no running insert attempt still reads.
 */
export function releaseRows(batches: readonly { body: Body }[]): void {
  for (const b of batches) ROW_SLAB.release(b.body);
}

/** Makes sure the batches' row memory is never reused, whatever becomes of them (see ROW_SLAB.forget). */
export function forgetRows(batches: readonly { body: Body }[]): void {
  for (const b of batches) ROW_SLAB.forget(b.body);
}
