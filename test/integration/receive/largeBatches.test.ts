// Large requests through the whole serve path: the real OTLP proto exporter's 1,000-span batches of LLM spans
// with 1–4 KB texts (plain and gzip) all end and are all stored; a request bigger than the memory queue gets a
// final answer, never a 429 that a client would retry for ever. Every wait is bounded: a hang fails the test.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { defaultConfig } from '../../../src/config/loadConfig.js';
import { PATHS, TABLES } from '../../../src/names.js';
import { OI } from '../../../src/conventions.js';
import { startPrefloop } from '../../../src/serve/startPrefloop.js';
import type { RunningPrefloop } from '../../../src/serve/startPrefloop.js';
import { encodeTraceRequest } from '../../../bench/otlpWire.js';
import { goodSpan, PROTOBUF, send } from '../hostile/harness.js';

const SPANS = 3000;
const BATCH = 1000;
/** Memory queue bound for this file: in-flight 1,000-span requests fit, one request of 6,000 spans does not. */
const QUEUE_SPANS = 5000;
/** Far above what the work needs (a few seconds), far below "hung". */
const DEADLINE_MS = 45_000;

let dir: string;
let prefloop: RunningPrefloop;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prefloop-large-'));
  const config = defaultConfig();
  config.clickhouse.queue.max_spans = QUEUE_SPANS;
  prefloop = await startPrefloop({ config, storeUrl: `embedded:${dir}`, endpoint: '127.0.0.1:0' });
});

after(async () => {
  await prefloop.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

/** Rejects with a message naming what hung, instead of waiting for ever. */
async function within<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${DEADLINE_MS} ms`)), DEADLINE_MS);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The real exporter, with every export's result kept: forceFlush() does not wait for an export the batch
 * size already started, so the test waits for the results themselves.
 */
class RecordingExporter implements SpanExporter {
  readonly results: Array<Promise<{ spans: number; result: ExportResult }>> = [];
  constructor(private readonly inner: OTLPTraceExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.results.push(
      new Promise((resolve) =>
        this.inner.export(spans, (result) => {
          resolve({ spans: spans.length, result });
          done(result);
        }),
      ),
    );
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

/** Deterministic words, `bytes` long give or take a word. */
function textOf(seed: number, bytes: number): string {
  const words = ['refund', 'policy', 'the', 'account', 'password', 'assistant', 'please', 'thanks', 'order'];
  let s = '';
  for (let i = 0; s.length < bytes; i++) s += words[(seed * 7 + i * 13) % words.length]! + ' ';
  return s;
}

function sinkState(): string {
  return prefloop.metrics
    .render()
    .split('\n')
    .filter((l) => /^prefloop_(sink|receiver)_/.test(l))
    .join('; ');
}

async function storedSpans(service: string): Promise<number> {
  const rows = await prefloop.store.query<{ n: string }>(
    `SELECT count() AS n FROM ${TABLES.traces} WHERE ServiceName = {service:String}`,
    { service },
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * The count once it reaches `expected`, or what it is at the deadline: flush() promises "in the store or in
 * the spool", and a spooled batch reaches the store on the next replay round.
 */
async function storedEventually(service: string, expected: number): Promise<number> {
  const until = Date.now() + DEADLINE_MS;
  for (;;) {
    const n = await storedSpans(service);
    if (n >= expected || Date.now() > until) return n;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

for (const compression of [CompressionAlgorithm.NONE, CompressionAlgorithm.GZIP]) {
  test(`${SPANS} LLM spans with 1–4 KB texts in ${BATCH}-span batches (${compression}): every export ends, every span is stored`, async () => {
    const service = `large-${compression}`;
    const exporter = new RecordingExporter(
      new OTLPTraceExporter({ url: `${prefloop.url}${PATHS.traces}`, compression }),
    );
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      spanProcessors: [
        new BatchSpanProcessor(exporter, {
          maxExportBatchSize: BATCH,
          maxQueueSize: SPANS,
          scheduledDelayMillis: 20,
        }),
      ],
    });
    const tracer = provider.getTracer('large-batches');
    for (let i = 0; i < SPANS; i++) {
      tracer
        .startSpan('llm', {
          root: true,
          attributes: {
            [OI.spanKind]: 'LLM',
            [`${OI.inputMessages}.0.${OI.messageRole}`]: 'user',
            [`${OI.inputMessages}.0.${OI.messageContent}`]: textOf(i, 1024 + ((i * 37) % 3072)),
            [`${OI.outputMessages}.0.${OI.messageRole}`]: 'assistant',
            [`${OI.outputMessages}.0.${OI.messageContent}`]: textOf(i + 1, 1024 + ((i * 53) % 3072)),
          },
        })
        .end();
    }
    try {
      await within(provider.forceFlush(), 'provider.forceFlush()');
      const results = await within(Promise.all(exporter.results), 'the exports');
      const failed = results.filter((r) => r.result.code !== ExportResultCode.SUCCESS);
      assert.deepEqual(
        failed.map((r) => r.result.error?.message),
        [],
        'every export succeeds',
      );
      assert.equal(
        results.reduce((n, r) => n + r.spans, 0),
        SPANS,
        'the exports carried every span',
      );
      await within(prefloop.flush(), 'prefloop.flush()');
      assert.equal(await storedEventually(service, SPANS), SPANS, `stored; sink: ${sinkState()}`);
    } finally {
      await provider.shutdown();
    }
  });
}

test('a request with more spans than the whole memory queue holds is answered 413, not 429 for ever', async () => {
  const body = encodeTraceRequest([
    {
      resource: [['service.name', 'too-many']],
      spans: Array.from({ length: QUEUE_SPANS + 1000 }, () => goodSpan()),
    },
  ]);
  // Retrying does not help: the queue is empty between tries and the answer stays the same.
  for (let attempt = 1; attempt <= 2; attempt++) {
    const reply = await within(send(prefloop.url, { headers: PROTOBUF, body }), 'the oversized request');
    assert.equal(reply.status, 413, `attempt ${attempt}: ${reply.body.toString('latin1').slice(0, 200)}`);
    assert.equal(reply.headers['retry-after'], undefined);
  }
  assert.equal(await storedSpans('too-many'), 0);
});
