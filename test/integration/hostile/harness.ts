// Shared pieces of the hostile-input battery: a recording intake, a real receiver on port 0, raw HTTP.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { DecodedSpan, FeedbackRecord } from '../../../src/records/types.js';
import type { OfferResult, SpanIntake } from '../../../src/receive/SpanIntake.js';
import { Metrics } from '../../../src/observe/Metrics.js';
import { otlpSchema } from '../../helpers/otlpSchema.js';
import type { WireSpan } from '../../../bench/otlpWire.js';
import { encodeTraceRequest } from '../../../bench/otlpWire.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchServer } from '../../../bench/server.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';

/** Records every offer, so a test can assert that a rejected body offered nothing. */
export class RecordingIntake implements SpanIntake {
  readonly spans: DecodedSpan[] = [];
  readonly feedback: FeedbackRecord[] = [];
  offers = 0;

  offer(spans: DecodedSpan[], feedback: FeedbackRecord[]): OfferResult {
    this.offers++;
    this.spans.push(...spans);
    this.feedback.push(...feedback);
    return { ok: true };
  }

  isReady(): boolean {
    return true;
  }
}

export interface ReceiverOptions {
  maxBodyBytes?: number;
  bodyTimeoutMs?: number;
  authenticate?: (req: IncomingMessage) => boolean;
  tls?: { cert: Buffer; key: Buffer };
}

export interface RunningReceiver {
  url: string;
  intake: RecordingIntake;
  metrics: Metrics;
  close(): Promise<void>;
}

/** Starts the real OtlpReceiver on 127.0.0.1:0 in front of a RecordingIntake. */
export async function startReceiver(options: ReceiverOptions = {}): Promise<RunningReceiver> {
  const { OtlpReceiver } = await import('../../../src/receive/OtlpReceiver.js');
  const intake = new RecordingIntake();
  const metrics = new Metrics();
  const receiver = new OtlpReceiver(
    {
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      bodyTimeoutMs: options.bodyTimeoutMs ?? 5_000,
      ...(options.tls ? { tls: options.tls } : {}),
      ...(options.authenticate ? { authenticate: options.authenticate } : {}),
    },
    intake,
    metrics,
  );
  const address = await receiver.start();
  const scheme = options.tls ? 'https' : 'http';
  return {
    url: `${scheme}://127.0.0.1:${address.port}`,
    intake,
    metrics,
    close: () => receiver.close(),
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One raw HTTP(S) request; resolves with whatever the server answered (never throws on 4xx/5xx). */
export function send(
  url: string,
  options: {
    method?: string;
    path?: string;
    headers?: OutgoingHttpHeaders;
    body?: Uint8Array | string;
    ca?: Buffer;
  },
): Promise<Reply> {
  const target = new URL(options.path ?? '/v1/traces', url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: options.method ?? 'POST',
        headers: options.headers,
        agent: false,
        ...(options.ca ? { ca: options.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export const PROTOBUF = { 'content-type': 'application/x-protobuf' } as const;
export const JSON_TYPE = { 'content-type': 'application/json' } as const;

/** POSTs an OTLP protobuf body. */
export function postProtobuf(
  url: string,
  body: Uint8Array,
  headers: OutgoingHttpHeaders = {},
): Promise<Reply> {
  return send(url, { headers: { ...PROTOBUF, ...headers }, body });
}

let seq = 0;

/** A small valid span with fresh ids. */
export function goodSpan(overrides: Partial<WireSpan> = {}): WireSpan {
  seq++;
  return {
    traceId: (0xabc00000 + seq).toString(16).padStart(32, '0'),
    spanId: (0xdef00000 + seq).toString(16).padStart(16, '0'),
    name: 'llm-call',
    kind: 3,
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_500_000_000n,
    attributes: [
      ['openinference.span.kind', 'LLM'],
      ['input.value', 'What is 2+2?'],
      ['output.value', '4'],
    ],
    ...overrides,
  };
}

export function goodBody(spans = 1): Uint8Array {
  return encodeTraceRequest([
    { resource: [['service.name', 'hostile-test']], spans: Array.from({ length: spans }, () => goodSpan()) },
  ]);
}

/** After a rejected request: the receiver still answers a good one, and offers exactly its span. */
export async function assertStillServes(
  r: RunningReceiver,
  headers: OutgoingHttpHeaders = {},
): Promise<void> {
  const before = r.intake.spans.length;
  const reply = await postProtobuf(r.url, goodBody(1), headers);
  if (reply.status !== 200)
    throw new Error(`good request after a hostile one answered ${reply.status}: ${reply.body.toString()}`);
  if (r.intake.spans.length !== before + 1)
    throw new Error(`good request offered ${r.intake.spans.length - before} spans, expected 1`);
}

/** Reads `partial_success` of a protobuf ExportTraceServiceResponse (zeros when absent). */
export function partialSuccess(body: Buffer): { rejectedSpans: number; errorMessage: string } {
  const decoded = otlpSchema().exportResponse.decode(body) as unknown as {
    partialSuccess?: { rejectedSpans?: number | { toNumber(): number }; errorMessage?: string };
  };
  const ps = decoded.partialSuccess;
  const rs = ps?.rejectedSpans ?? 0;
  return { rejectedSpans: typeof rs === 'number' ? rs : rs.toNumber(), errorMessage: ps?.errorMessage ?? '' };
}

/** True when a decoded span has the shape the pipeline relies on. */
export function isValidDecodedSpan(s: DecodedSpan): boolean {
  return (
    /^[0-9a-f]{32}$/.test(s.traceId) &&
    s.traceId !== '0'.repeat(32) &&
    /^[0-9a-f]{16}$/.test(s.spanId) &&
    s.spanId !== '0'.repeat(16) &&
    (s.parentSpanId === '' || /^[0-9a-f]{16}$/.test(s.parentSpanId)) &&
    typeof s.startTimeUnixNano === 'bigint' &&
    typeof s.endTimeUnixNano === 'bigint' &&
    typeof s.name === 'string' &&
    typeof s.attributes === 'object' &&
    Array.isArray(s.events) &&
    Array.isArray(s.links)
  );
}

/**
 * Serves one request of `spans` through the whole pipeline (default rubrics, a fresh embedded store),
 * asserts it was answered 200, stops (drained), then runs `check` on the store.
 */
export async function storeOf(spans: WireSpan[], check: (store: ChdbStore) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-hostile-store-'));
  const server = await startBenchServer(`embedded:${dir}`, true);
  let stopped = false;
  try {
    const reply = await postProtobuf(`http://127.0.0.1:${server.port}`, encodeTraceRequest([{ spans }]));
    assert.equal(reply.status, 200);
    await server.stop();
    stopped = true;
    const store = new ChdbStore(dir, 'prefloop');
    try {
      await check(store);
    } finally {
      await store.close();
    }
  } finally {
    if (!stopped) await server.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}
