// The real OpenTelemetry exporters (protobuf and JSON, plain and gzip) sending to the real receiver.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { startReceiver } from './harness.js';
import type { Running } from './harness.js';

let rx: Running;
before(async () => {
  rx = await startReceiver();
});
after(() => rx.receiver.close());

function nanos(t: [number, number]): bigint {
  return BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
}

/** Makes two spans (a parent and an LLM child with events and a link) through a real provider. */
async function emit(exporter: SpanExporter): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'chat-api' }),
    spanProcessors: [new SimpleSpanProcessor(exporter), new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('test-scope', '9.9.9');
  const linkTarget = tracer.startSpan('earlier');
  linkTarget.end();
  tracer.startActiveSpan('agent', (parent) => {
    const child = tracer.startSpan('ChatCompletion', {
      kind: SpanKind.CLIENT,
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': 'What is 2+2?',
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': '4',
        'llm.token_count.prompt': 9,
        'tag.tags': ['math', 'eval'],
        temperature: 0.5,
      },
      links: [{ context: linkTarget.spanContext(), attributes: { 'link.kind': 'retry-of' } }],
    });
    child.addEvent('first_token', { 'ttft.ms': 12 });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'truncated' });
    child.end();
    parent.end();
  });
  await provider.forceFlush();
  const finished = memory.getFinishedSpans();
  await provider.shutdown();
  return finished;
}

async function roundTrip(exporter: SpanExporter): Promise<void> {
  const before = rx.intake.spans.length;
  const sent = await emit(exporter);
  const got = rx.intake.spans.slice(before);
  assert.equal(got.length, sent.length);
  for (const s of sent) {
    const ctx = s.spanContext();
    const r = got.find((g) => g.spanId === ctx.spanId);
    assert.ok(r, `span ${s.name} arrived`);
    assert.equal(r.traceId, ctx.traceId);
    assert.equal(r.parentSpanId, s.parentSpanContext?.spanId ?? '');
    assert.equal(r.name, s.name);
    assert.equal(r.startTimeUnixNano, nanos(s.startTime));
    assert.equal(r.endTimeUnixNano, nanos(s.endTime));
    assert.equal(r.scopeName, 'test-scope');
    assert.equal(r.scopeVersion, '9.9.9');
    assert.equal(r.resource['service.name'], 'chat-api');
    assert.equal(Object.keys(r.attributes).length, Object.keys(s.attributes).length);
    assert.equal(r.events.length, s.events.length);
    for (const [i, e] of s.events.entries()) {
      assert.equal(r.events[i]!.name, e.name);
      assert.equal(r.events[i]!.timeUnixNano, nanos(e.time));
    }
    assert.deepEqual(
      r.links.map((l) => [l.traceId, l.spanId]),
      s.links.map((l) => [l.context.traceId, l.context.spanId]),
    );
  }
  const llm = got.find((g) => g.name === 'ChatCompletion')!;
  assert.deepEqual(llm.attributes, {
    'openinference.span.kind': 'LLM',
    'llm.input_messages.0.message.role': 'user',
    'llm.input_messages.0.message.content': 'What is 2+2?',
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.content': '4',
    'llm.token_count.prompt': 9n,
    'tag.tags': ['math', 'eval'],
    temperature: 0.5,
  });
  assert.deepEqual(llm.events[0]!.attributes, { 'ttft.ms': 12n });
  assert.deepEqual(llm.links[0]!.attributes, { 'link.kind': 'retry-of' });
  assert.equal(llm.kind, 3);
  assert.equal(llm.statusCode, 2);
  assert.equal(llm.statusMessage, 'truncated');
}

test('protobuf exporter: every span, attribute, event and link arrives exact', async () => {
  await roundTrip(new ProtoExporter({ url: `${rx.url}/v1/traces` }));
});

test('protobuf exporter with gzip', async () => {
  const gz = rx.metrics.get('prefloop_receiver_bytes_total');
  await roundTrip(new ProtoExporter({ url: `${rx.url}/v1/traces`, compression: CompressionAlgorithm.GZIP }));
  assert.ok(rx.metrics.get('prefloop_receiver_bytes_total') > gz);
});

test('JSON exporter: every span, attribute, event and link arrives exact', async () => {
  await roundTrip(new JsonExporter({ url: `${rx.url}/v1/traces` }));
});

test('JSON exporter with gzip', async () => {
  await roundTrip(new JsonExporter({ url: `${rx.url}/v1/traces`, compression: CompressionAlgorithm.GZIP }));
  assert.equal(rx.metrics.get('prefloop_receiver_spans_rejected_total', { reason: 'invalid' }), 0);
  assert.ok(rx.metrics.get('prefloop_receiver_spans_accepted_total') >= 12);
});
