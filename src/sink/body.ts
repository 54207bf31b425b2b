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
