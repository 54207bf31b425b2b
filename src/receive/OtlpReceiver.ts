// The OTLP/HTTP receiver: POST /v1/traces, POST /v1/feedback, GET /healthz, plus mounted extra routes.
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { DEFAULTS, PATHS } from '../names.js';
import { diag } from '../observe/diag.js';
import type { Metrics } from '../observe/Metrics.js';
import type { OfferResult, SpanIntake } from './SpanIntake.js';
import type { DecodeResult } from './DecodeResult.js';
import { OtlpDecodeError } from './DecodeResult.js';
import { parseBoundedJson } from './boundedJson.js';
import { decodeJson } from './decodeJson.js';
import { decodeProtobuf } from './decodeProtobuf.js';
import { CONTENT_TYPES, encodeExportResponse, encodeStatus } from './encodeResponse.js';
import type { OtlpEncoding } from './encodeResponse.js';
import { encodingOf, pathOf, routeLabel } from './requestInfo.js';
import { guardConnections, isLocalHost } from './connectionGuards.js';
import { parseFeedback } from './parseFeedback.js';
import { BodyError, readBody } from './readBody.js';
import { declareReceiverMetrics, RECEIVER_METRICS as M } from './receiverMetrics.js';

const COMPONENT = 'receiver';
const DEFAULT_PORT = 4318;

/** An extra endpoint served by the same server (e.g. GET /metrics, POST /v1/query). */
export interface ReceiverRoute {
  /** HTTP method, upper-case (GET, POST, ...). */
  method: string;
  /** Exact path, without query string. */
  path: string;
  /** Answers the request; a throw or rejection becomes a 500 (and is reported via diag). */
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
  /** The route checks its own credential, and `authenticate` (ingest tokens) must not open it. Default false. */
  ownAuth?: boolean;
}

export interface OtlpReceiverOptions {
  /** Interface to listen on. Default '127.0.0.1' (loopback only). */
  host?: string;
  /** Port; 0 picks a free one. Default 4318 (the OTLP/HTTP standard port). */
  port?: number;
  /** Largest request body, counted after decompression. Default 20 MiB. */
  maxBodyBytes?: number;
  /** Time allowed for a request body to arrive; slower ones get 408. Default 30 000 ms. */
  bodyTimeoutMs?: number;
  /** Silent connections closed after `idleMs`; at most `max` open. Default DEFAULTS.idleConnectionMs, maxConnections. */
  connections?: { idleMs?: number; max?: number };
  /** Serve HTTPS with this PEM certificate and key instead of plain HTTP. Default: none. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Extra routes on the same server. Default: none. */
  routes?: readonly ReceiverRoute[];
  /** Applied to every request; false answers 401 with `WWW-Authenticate: Bearer`. Default: all allowed. */
  authenticate?: (req: IncomingMessage) => boolean;
}

/** Decoders by request encoding. */
const DECODERS: Record<OtlpEncoding, (body: Buffer) => DecodeResult> = {
  protobuf: decodeProtobuf,
  json: decodeJson,
};

/** Answer for a request that must be refused, in the request's encoding when known. */
interface Failure {
  status: number;
  reason: string;
  message: string;
  headers?: Record<string, string>;
}

/**
 * Receives OTLP/HTTP traces and feedback and offers them to a SpanIntake. Decoding is synchronous
 * and per request; the answer is 200 only once the intake has taken the data.
 */
export class OtlpReceiver {
  private readonly server: Server;
  private readonly maxBodyBytes: number;
  private readonly bodyTimeoutMs: number;
  private readonly routes: Map<string, ReceiverRoute[]>;
  private readonly markSpoke: (req: IncomingMessage) => void;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly options: OtlpReceiverOptions,
    private readonly intake: SpanIntake,
    private readonly metrics: Metrics,
  ) {
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULTS.maxBodyBytes;
    this.bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULTS.bodyTimeoutMs;
    this.routes = new Map();
    for (const r of options.routes ?? []) {
      const list = this.routes.get(r.path) ?? [];
      list.push(r);
      this.routes.set(r.path, list);
    }
    declareReceiverMetrics(metrics);
    const listener = (req: IncomingMessage, res: ServerResponse): void => this.onRequest(req, res);
    this.server = options.tls
      ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
      : createHttpServer(listener);
    this.server.requestTimeout = this.bodyTimeoutMs + 5_000; // a backstop: our own body deadline answers 408
    this.markSpoke = guardConnections(this.server, {
      idleMs: options.connections?.idleMs ?? DEFAULTS.idleConnectionMs,
      max: options.connections?.max ?? DEFAULTS.maxConnections,
    });
  }

  /** Starts listening; resolves with the bound address (useful with port 0). */
  start(): Promise<AddressInfo> {
    const host = this.options.host ?? '127.0.0.1';
    const port = this.options.port ?? DEFAULT_PORT;
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void =>
        reject(
          new Error(`receiver: cannot listen on ${host}:${port} (${err.message}); pick another --endpoint`, {
            cause: err,
          }),
        );
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.removeListener('error', onError);
        this.server.on('error', (err) => diag('error', COMPONENT, 'server error', err));
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting connections and resolves once in-flight requests are answered. Runs once. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
    return this.closing;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.markSpoke(req);
    res.on('close', () => {
      // Keep-alive sockets that just went idle would otherwise hold close() open.
      if (this.closing) this.server.closeIdleConnections();
    });
    this.route(req, res).catch((err: unknown) => {
      diag('error', COMPONENT, `${req.method ?? '?'} ${req.url ?? '?'} failed`, err);
      if (!res.headersSent)
        this.send(res, req, 500, 'text/plain; charset=utf-8', Buffer.from('internal error\n'));
      else res.destroy();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req.url);
    const custom = this.routes.get(path);
    const ownAuth = custom?.every((r) => r.ownAuth === true) ?? false;
    if (!ownAuth && this.options.authenticate && !this.options.authenticate(req)) {
      this.metrics.inc(M.badRequests, 1, { reason: 'unauthorized' });
      const message = 'missing or wrong credentials (Authorization: Bearer <token>)';
      // An OTLP client gets a Status in its own encoding (UNAUTHENTICATED), as for every other answer.
      const encoding = path === PATHS.traces ? encodingOf(req.headers['content-type']) : undefined;
      if (encoding) {
        this.send(res, req, 401, CONTENT_TYPES[encoding], encodeStatus(encoding, 16, message), {
          'www-authenticate': 'Bearer',
        });
      } else this.sendText(res, req, 401, `${message}\n`, { 'www-authenticate': 'Bearer' });
      return;
    }
    // Without auth, a page on a rebinding domain could post here; /healthz stays open to probes.
    if (!this.options.authenticate && path !== PATHS.health) {
      if (!isLocalHost(req.headers.host, this.options.host ?? '127.0.0.1')) {
        this.metrics.inc(M.badRequests, 1, { reason: 'host' });
        const host = JSON.stringify(req.headers.host ?? '');
        this.sendText(res, req, 403, `Host ${host} refused: without auth only loopback hosts are served\n`);
        return;
      }
    }
    if (path === PATHS.traces) return this.methodIs(req, res, ['POST']) ? this.traces(req, res) : undefined;
    if (path === PATHS.feedback)
      return this.methodIs(req, res, ['POST']) ? this.feedback(req, res) : undefined;
    if (path === PATHS.health) {
      if (!this.methodIs(req, res, ['GET', 'HEAD'])) return;
      const ready = this.intake.isReady();
      this.sendJson(res, req, ready ? 200 : 503, { status: ready ? 'ok' : 'unavailable' });
      return;
    }
    if (custom) {
      const match = custom.find((r) => r.method === req.method);
      if (!match) {
        this.methodNotAllowed(
          res,
          req,
          custom.map((r) => r.method),
        );
        return;
      }
      await match.handle(req, res);
      return;
    }
    this.sendText(res, req, 404, `no route for ${path}; OTLP traces go to POST ${PATHS.traces}\n`);
  }

  private async traces(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const encoding = encodingOf(req.headers['content-type']);
    if (!encoding) {
      return this.fail(res, req, undefined, {
        status: 415,
        reason: 'content_type',
        message: `Content-Type "${req.headers['content-type'] ?? ''}" is not supported; send application/x-protobuf or application/json`,
      });
    }
    const body = await this.body(req, res, encoding);
    if (!body) return;
    let result: DecodeResult;
    try {
      result = DECODERS[encoding](body);
    } catch (err) {
      if (!(err instanceof OtlpDecodeError)) throw err;
      return this.fail(res, req, encoding, { status: 400, reason: 'decode', message: err.message });
    }
    const invalid = result.rejected;
    if (result.spans.length > 0) {
      const offered = this.intake.offer(result.spans, [], body.length);
      if (!offered.ok) {
        this.metrics.inc(M.spansRejected, result.spans.length, { reason: 'refused' });
        return this.refuse(res, req, encoding, offered);
      }
      const failed = offered.failed ?? [];
      this.metrics.inc(M.spansAccepted, result.spans.length - failed.length);
      if (failed.length > 0) this.metrics.inc(M.spansRejected, failed.length, { reason: 'processing' });
      for (const why of failed) result.reject(why);
    }
    if (invalid > 0) {
      this.metrics.inc(M.spansRejected, invalid, { reason: 'invalid' });
      diag('warn', COMPONENT, result.errorMessage());
    }
    const answer = encodeExportResponse(encoding, result.rejected, result.errorMessage());
    this.send(res, req, 200, CONTENT_TYPES[encoding], answer);
  }

  private async feedback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (encodingOf(req.headers['content-type']) !== 'json') {
      return this.fail(res, req, 'json', {
        status: 415,
        reason: 'content_type',
        message: `Content-Type "${req.headers['content-type'] ?? ''}" is not supported; send application/json`,
      });
    }
    const body = await this.body(req, res, 'json');
    if (!body) return;
    let json: unknown;
    try {
      json = parseBoundedJson(body);
    } catch (err) {
      return this.fail(res, req, 'json', {
        status: 400,
        reason: 'decode',
        message: `feedback body is not JSON (${(err as Error).message})`,
      });
    }
    const parsed = parseFeedback(json, BigInt(Date.now()) * 1_000_000n);
    if (!parsed.ok) {
      this.metrics.inc(M.badRequests, 1, { reason: 'feedback_invalid' });
      this.sendJson(res, req, 400, {
        error: 'invalid feedback; nothing was stored',
        problems: parsed.problems,
      });
      return;
    }
    const offered = this.intake.offer([], parsed.records, body.length);
    if (!offered.ok) return this.refuse(res, req, 'json', offered);
    // Records the pipeline had to leave out (a bug on odd content) are named, as OTLP's partial_success does.
    const rejected = offered.failedFeedback ?? [];
    const accepted = parsed.records.length - rejected.length;
    this.metrics.inc(M.feedbackAccepted, accepted);
    this.sendJson(res, req, 200, rejected.length > 0 ? { accepted, rejected } : { accepted });
  }

  /** Reads the body, or answers the failure and returns undefined. */
  private async body(
    req: IncomingMessage,
    res: ServerResponse,
    encoding: OtlpEncoding,
  ): Promise<Buffer | undefined> {
    const contentEncoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (contentEncoding !== 'gzip' && contentEncoding !== 'identity') {
      this.fail(res, req, encoding, {
        status: 415,
        reason: 'content_encoding',
        message: `Content-Encoding "${contentEncoding}" is not supported; send gzip or identity`,
      });
      return undefined;
    }
    try {
      const body = await readBody(req, {
        maxBytes: this.maxBodyBytes,
        timeoutMs: this.bodyTimeoutMs,
        gzip: contentEncoding === 'gzip',
      });
      this.metrics.inc(M.bytes, body.length);
      return body;
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      // The rest of the body is not wanted: close the connection once the answer is out.
      const failure: Failure = {
        status: err.status,
        reason: err.reason,
        message: err.message,
        headers: { connection: 'close' },
      };
      this.fail(res, req, encoding, failure);
      if (err.status === 408) res.on('finish', () => req.destroy());
      else req.resume(); // Drain what is still in flight so the client reads the answer (our timer still bounds it).
      return undefined;
    }
  }

  private refuse(
    res: ServerResponse,
    req: IncomingMessage,
    encoding: OtlpEncoding,
    offered: Extract<OfferResult, { ok: false }>,
  ): void {
    this.metrics.inc(M.refused, 1, { reason: offered.reason });
    if (offered.reason === 'too_large') {
      // Not retryable: the same request would be refused again, so say so instead of 429 forever.
      const message = `request exceeds the queue (${offered.limit}); send smaller batches`;
      this.send(res, req, 413, CONTENT_TYPES[encoding], encodeStatus(encoding, 3, message));
      return;
    }
    const status = offered.reason === 'full' ? 429 : 503;
    const retryAfter = String(Math.max(1, Math.ceil(offered.retryAfterSeconds)));
    const message =
      offered.reason === 'full'
        ? `prefloop is at capacity; retry after ${retryAfter} s`
        : `prefloop cannot take data now (${offered.reason}); retry after ${retryAfter} s`;
    const body = encodeStatus(encoding, status === 429 ? 8 : 14, message); // RESOURCE_EXHAUSTED / UNAVAILABLE
    this.send(res, req, status, CONTENT_TYPES[encoding], body, { 'retry-after': retryAfter });
  }

  private fail(
    res: ServerResponse,
    req: IncomingMessage,
    encoding: OtlpEncoding | undefined,
    f: Failure,
  ): void {
    this.metrics.inc(M.badRequests, 1, { reason: f.reason });
    const enc = encoding ?? 'json';
    // google.rpc.Code for the client: INVALID_ARGUMENT, else UNAVAILABLE for retryable ones.
    const code = f.status === 408 ? 14 : 3;
    this.send(res, req, f.status, CONTENT_TYPES[enc], encodeStatus(enc, code, f.message), f.headers);
  }

  private methodIs(req: IncomingMessage, res: ServerResponse, allowed: string[]): boolean {
    if (allowed.includes(req.method ?? '')) return true;
    this.methodNotAllowed(res, req, allowed);
    return false;
  }

  private methodNotAllowed(res: ServerResponse, req: IncomingMessage, allowed: string[]): void {
    this.metrics.inc(M.badRequests, 1, { reason: 'method' });
    this.sendText(res, req, 405, `method ${req.method ?? '?'} not allowed; use ${allowed.join(' or ')}\n`, {
      allow: allowed.join(', '),
    });
  }

  private sendJson(res: ServerResponse, req: IncomingMessage, status: number, value: unknown): void {
    this.send(res, req, status, 'application/json', Buffer.from(JSON.stringify(value)));
  }

  private sendText(
    res: ServerResponse,
    req: IncomingMessage,
    status: number,
    text: string,
    headers?: Record<string, string>,
  ): void {
    this.send(res, req, status, 'text/plain; charset=utf-8', Buffer.from(text), headers);
  }

  private send(
    res: ServerResponse,
    req: IncomingMessage,
    status: number,
    contentType: string,
    body: Uint8Array,
    headers?: Record<string, string>,
  ): void {
    this.metrics.inc(M.requests, 1, { route: routeLabel(req.url), code: String(status) });
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': body.length,
      'x-content-type-options': 'nosniff', // browsers reach these too (the web UI shares the listener)
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}
