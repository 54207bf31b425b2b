// Reads a request body with a size limit counted after decompression (gzip-bomb safe) and a deadline.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Why a body could not be read: carries the HTTP status to answer with. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 408 | 413,
    /** Short machine reason for metrics: too_large, timeout, bad_gzip, aborted. */
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

export interface ReadBodyOptions {
  /** Largest body accepted, in bytes after decompression. */
  maxBytes: number;
  /** Time allowed for the whole body to arrive. */
  timeoutMs: number;
  /** True when Content-Encoding is gzip. */
  gzip: boolean;
}

/**
 * Resolves with the whole (decompressed) body. Stops reading as soon as the running count passes
 * `maxBytes`, so a small gzip that inflates to gigabytes costs at most `maxBytes` of memory.
 */
export function readBody(req: IncomingMessage, options: ReadBodyOptions): Promise<Buffer> {
  const { maxBytes, timeoutMs, gzip } = options;
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (!gzip && Number.isFinite(declared) && declared > maxBytes) {
      reject(tooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    let source: Readable = req;
    const gunzip = gzip ? createGunzip() : undefined;
    const finish = (err?: BodyError): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      source.removeListener('data', onData);
      if (gunzip) {
        req.unpipe(gunzip);
        gunzip.destroy();
      }
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > maxBytes) finish(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    const timer = setTimeout(
      () => finish(new BodyError(408, 'timeout', `request body did not arrive within ${timeoutMs} ms`)),
      timeoutMs,
    );
    timer.unref();
    if (gunzip) {
      gunzip.on('error', (err) =>
        finish(
          new BodyError(
            400,
            'bad_gzip',
            `Content-Encoding is gzip but the body does not inflate (${err.message})`,
          ),
        ),
      );
      req.pipe(gunzip);
      source = gunzip;
    }
    source.on('data', onData);
    source.on('end', () => finish());
    req.on('error', (err) => finish(new BodyError(400, 'aborted', `request body aborted (${err.message})`)));
    req.on('aborted', () => finish(new BodyError(400, 'aborted', 'client aborted the request body')));
  });
}

function tooLarge(maxBytes: number): BodyError {
  return new BodyError(
    413,
    'too_large',
    `request body is larger than ${maxBytes} bytes after decompression; send smaller batches`,
  );
}
