// Reading and answering JSON for the API routes serve mounts (review labels, rewards, cluster fixes, the UI): the
// same body bounds ingest has (size after gzip, a deadline, nesting depth) and one error shape,
// `{"error": message, "problems": [...]}`, for every refusal.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULTS } from '../names.js';
import { JsonShapeError, parseBoundedJson } from './boundedJson.js';
import { BodyError, readBody } from './readBody.js';

/** A request the route refuses: answered with this status and the problems listed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The parsed JSON body; an ApiError (415, 400, 413 or 408) when it is too large, too slow, too deep or not JSON. */
export async function readJsonBody(
  req: IncomingMessage,
  maxBytes: number = DEFAULTS.maxBodyBytes,
): Promise<unknown> {
  // A cross-site form can post text/plain or a form encoding without a preflight, never application/json:
  // requiring it is what keeps the browser-facing writes CSRF-safe.
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(type))
    throw new ApiError(
      415,
      `send the body as Content-Type: application/json (got ${JSON.stringify(type || 'none')})`,
    );
  let body: Buffer;
  try {
    body = await readBody(req, {
      maxBytes,
      timeoutMs: DEFAULTS.bodyTimeoutMs,
      gzip: /\bgzip\b/i.test(String(req.headers['content-encoding'] ?? '')),
    });
  } catch (err) {
    if (err instanceof BodyError) throw new ApiError(err.status, err.message);
    throw err;
  }
  try {
    return parseBoundedJson(body);
  } catch (err) {
    if (err instanceof JsonShapeError) throw new ApiError(400, err.message);
    throw new ApiError(400, `the body is not JSON: ${(err as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = `${JSON.stringify(value)}\n`;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

/** Runs a JSON handler: its value is answered 200 (or its own status), an ApiError with its status and problems. */
export function jsonHandler(
  handle: (req: IncomingMessage, url: URL) => Promise<unknown>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const out = await handle(req, url);
      if (out instanceof JsonReply) sendJson(res, out.status, out.body);
      else sendJson(res, 200, out);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      sendJson(res, err.status, {
        error: err.message,
        ...(err.problems.length ? { problems: err.problems } : {}),
      });
    }
  };
}

/** A handler's answer with a status other than 200 (201 Created, 202 Accepted). */
export class JsonReply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}
