// A batch's encoded rows as the requests' own buffers, in order: joined into one buffer only where a single
// buffer is needed (an embedded insert, a split), never on the way to the spool or over HTTP.

/**
 * Buffers read one after the other as one body. A class rather than an array: an array's `length` (its
 * buffers) would read as a byte count wherever a body used to be one Buffer, and type-check.
 */
export class BufferList {
  /** Bytes over all buffers. */
  readonly byteLength: number;

  constructor(readonly buffers: readonly Buffer[]) {
    let n = 0;
    for (const b of buffers) n += b.length;
    this.byteLength = n;
  }
}

/**
 * One buffer, or several read one after the other. A batch of 20,000 spans is ~100 MB; joining it into a
 * fresh buffer touches that much new memory (page faults, and as much again in RAM while both live), which
 * cost the main thread ~4% of its time under overload when every spill joined the whole queue.
 */
export type Body = Buffer | BufferList;

/** Bytes in the body. */
export function bodyLength(body: Body): number {
  return Buffer.isBuffer(body) ? body.length : body.byteLength;
}

/** The body's buffers in order (the buffer itself when it is one). */
export function bodyParts(body: Body): readonly Buffer[] {
  return Buffer.isBuffer(body) ? [body] : body.buffers;
}

/**
 * The body's buffers in order, runs of small ones joined into chunks of at least `minBytes` (the last may be
 * smaller): for a stream, where thousands of one-span requests would otherwise be thousands of writes.
 */
export function* bodyChunks(body: Body, minBytes: number): Generator<Buffer> {
  let run: Buffer[] = [];
  let runBytes = 0;
  for (const part of bodyParts(body)) {
    if (part.length >= minBytes) {
      // A large buffer goes as it is: the small ones before it go first, joined, rather than copied into it.
      if (run.length > 0) yield joined(run, runBytes);
      run = [];
      runBytes = 0;
      yield part;
      continue;
    }
    run.push(part);
    runBytes += part.length;
    if (runBytes >= minBytes) {
      yield joined(run, runBytes);
      run = [];
      runBytes = 0;
    }
  }
  if (run.length > 0) yield joined(run, runBytes);
}

/** The body as one buffer: itself when it is one, else its parts joined into a new buffer. */
export function joinBody(body: Body): Buffer {
  return Buffer.isBuffer(body) ? body : joined(body.buffers, body.byteLength);
}

/** `buffers` (`bytes` in all) as one buffer: the only one as it is, else joined into a new one. */
function joined(buffers: readonly Buffer[], bytes: number): Buffer {
  return buffers.length === 1 ? buffers[0]! : Buffer.concat(buffers, bytes);
}

/** What BodyJoiner.join gives: the body in one buffer, and how to hand that buffer back. */
export interface Joined {
  bytes: Buffer;
  /** Call once whatever reads `bytes` is done with it; the buffer may then be reused. */
  release(): void;
}

/**
 * Joins bodies into a buffer it keeps between joins, for a writer that holds each joined body only until its
 * write has ended (chDB's insert reads the caller's buffer in place until it settles). A fresh buffer per
 * batch is ~32 MB (batch.max_bytes) of new memory each time: the kernel maps and zeroes every page of it on
 * the main thread. Reused, it costs the copy alone (a 33 MB join measured ~11 ms fresh, ~4 ms reused).
 */
export class BodyJoiner {
  private spare: Buffer | undefined;

  /** Keeps one spare buffer of at most `maxKeptBytes`; larger joins get a buffer of their own. */
  constructor(private readonly maxKeptBytes: number) {}

  join(body: Body): Joined {
    if (Buffer.isBuffer(body)) return { bytes: body, release: noop };
    if (body.buffers.length === 1) return { bytes: body.buffers[0]!, release: noop };
    const length = body.byteLength;
    let target = this.spare;
    if (target && target.length >= length) this.spare = undefined;
    // Rounded up so that batches of about the same size fit the buffer kept.
    else target = Buffer.allocUnsafe(length < ROUND_TO ? length : Math.ceil(length / ROUND_TO) * ROUND_TO);
    let at = 0;
    for (const part of body.buffers) at += part.copy(target, at);
    const buffer = target;
    let released = false;
    return {
      bytes: buffer.subarray(0, length),
      release: () => {
        if (released) return;
        released = true;
        if (buffer.length <= this.maxKeptBytes && (!this.spare || this.spare.length < buffer.length))
          this.spare = buffer;
      },
    };
  }
}

const ROUND_TO = 1024 * 1024;
const noop = (): void => undefined;
