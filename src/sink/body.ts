// A batch's encoded rows as the requests' own buffers, in order: joined into one buffer only where a single
// buffer is needed (an embedded insert, a split), never on the way to the spool or over HTTP.

/**
 * One buffer, or several read one after the other. A batch of 20,000 spans is ~100 MB; joining it into a
 * fresh buffer touches that much new memory (page faults, and as much again in RAM while both live), which
 * cost the main thread ~4% of its time under overload when every spill joined the whole queue.
 */
export type Body = Buffer | readonly Buffer[];

/** Bytes in the body. */
export function bodyLength(body: Body): number {
  if (Buffer.isBuffer(body)) return body.length;
  let n = 0;
  for (const part of body) n += part.length;
  return n;
}

/** The body's buffers in order (the buffer itself when it is one). */
export function bodyParts(body: Body): readonly Buffer[] {
  return Buffer.isBuffer(body) ? [body] : body;
}

/** The body as one buffer: itself when it is one, else its parts joined into a new buffer. */
export function joinBody(body: Body): Buffer {
  if (Buffer.isBuffer(body)) return body;
  return body.length === 1 ? body[0]! : Buffer.concat(body);
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
    if (body.length === 1) return { bytes: body[0]!, release: noop };
    const length = bodyLength(body);
    let target = this.spare;
    if (target && target.length >= length) this.spare = undefined;
    // Rounded up so that batches of about the same size fit the buffer kept.
    else target = Buffer.allocUnsafe(length < ROUND_TO ? length : Math.ceil(length / ROUND_TO) * ROUND_TO);
    let at = 0;
    for (const part of body) at += part.copy(target, at);
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
