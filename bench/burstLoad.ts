// A burst as OTLP apps send one: real OTLP/protobuf exporters, each exporting its share of LLM spans in batches
// of 1,000 as fast as it can, and sending a refused batch again (used by the burst test and the bench).
import { setTimeout as sleep } from 'node:timers/promises';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

export const BURST_BATCH = 1000;

/** `BURST_BATCH` finished LLM spans from `first` on: prompts answered twice, thumbs as annotations. */
function makeBatch(
  tracer: ReturnType<BasicTracerProvider['getTracer']>,
  memory: InMemorySpanExporter,
  first: number,
): ReadableSpan[] {
  for (let i = first; i < first + BURST_BATCH; i++) {
    const prompt = `question ${i >> 1}: how do I rotate my API key?`;
    const answer = i % 2 ? `Open Settings, then API keys, then Rotate (${i}).` : `Unclear (${i}).`;
    tracer
      .startSpan('ChatCompletion', {
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.model_name': 'burst-model',
          'input.value': prompt,
          'output.value': answer,
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.content': prompt,
          'llm.output_messages.0.message.role': 'assistant',
          'llm.output_messages.0.message.content': answer,
          'annotations.0.annotation.name': 'user_feedback',
          'annotations.0.annotation.label': i % 2 ? 'thumbs_up' : 'thumbs_down',
          'annotations.0.annotation.annotator_kind': 'HUMAN',
        },
      })
      .end();
  }
  const spans = memory.getFinishedSpans().slice();
  memory.reset();
  return spans;
}

export interface BurstExporter {
  /** Base URL of the receiver. */
  url: string;
  /** This exporter's number (0-based): its spans are [index * share, (index + 1) * share). */
  index: number;
  /** Spans it sends (a multiple of BURST_BATCH). */
  share: number;
  /** Span ids of every batch acknowledged (200) are added here. */
  acked: Set<string>;
  /** Called after each acknowledged batch with the spans this exporter has sent so far. */
  onBatch?: (sent: number) => void;
}

/**
 * One exporter's share of the burst. The exporter retries a 429 or 503 itself (backing off, honouring
 * Retry-After); a batch it still could not deliver is sent again after half a second, up to 200 times.
 * Resolves with how many exports were refused (exporter results other than success).
 */
export async function runBurstExporter(o: BurstExporter): Promise<{ refusedExports: number }> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `burst-app-${o.index}` }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('burst');
  const exporter = new OTLPTraceExporter({ url: `${o.url}/v1/traces`, timeoutMillis: 120_000 });
  let refusedExports = 0;
  for (let sent = 0; sent < o.share; sent += BURST_BATCH) {
    const spans = makeBatch(tracer, memory, o.index * o.share + sent);
    for (let attempt = 1; ; attempt++) {
      const code = await new Promise<ExportResultCode>((resolve) =>
        exporter.export(spans, (r) => resolve(r.code)),
      );
      if (code === ExportResultCode.SUCCESS) break;
      refusedExports++;
      if (attempt >= 200) throw new Error(`exporter ${o.index}: batch at ${sent} refused 200 times`);
      await sleep(500);
    }
    for (const s of spans) o.acked.add(s.spanContext().spanId);
    o.onBatch?.(sent + BURST_BATCH);
  }
  await exporter.shutdown();
  await provider.shutdown();
  return { refusedExports };
}
