// The forwarder sending through the real OTLP/HTTP exporter to a second, real receiver.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OtlpForwarder } from '../../../src/forward/OtlpForwarder.js';
import type { DecodedSpan } from '../../../src/records/types.js';
import { Metrics } from '../../../src/observe/Metrics.js';
import { setDiagHandler } from '../../../src/observe/diag.js';
import { startReceiver } from '../receive/harness.js';
import type { Running } from '../receive/harness.js';

let next: Running;
before(async () => {
  next = await startReceiver();
});
after(() => next.receiver.close());

const resource = { 'service.name': 'chat-api', 'host.count': 3n };

function span(spanId: string, extra: Partial<DecodedSpan> = {}): DecodedSpan {
  return {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId,
    parentSpanId: 'eee19b7ec3c1b170',
    traceState: 'vendor=a',
    name: 'ChatCompletion',
    kind: 3,
    startTimeUnixNano: 1_700_000_000_123_456_789n,
    endTimeUnixNano: 1_700_000_001_987_654_321n,
    attributes: {
      'openinference.span.kind': 'LLM',
      'evaluations.0.evaluation.name': 'conciseness',
      'evaluations.0.evaluation.score': 0.8,
      'llm.token_count.prompt': 31n,
      'tag.tags': ['a', 'b'],
      ok: true,
    },
    events: [{ name: 'first_token', timeUnixNano: 1_700_000_000_500_000_001n, attributes: { n: 1n } }],
    links: [
      {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceState: '',
        attributes: { why: 'retry' },
      },
    ],
    statusCode: 2,
    statusMessage: 'truncated',
    resource,
    scopeName: 'openinference.instrumentation.openai',
    scopeVersion: '1.2.3',
    ...extra,
  };
}

test('forwarded spans arrive at the next receiver with ids, times, attributes, events, links, resource, scope', async () => {
  const metrics = new Metrics();
  const forwarder = new OtlpForwarder({ url: `${next.url}/v1/traces`, gzip: true }, metrics);
  const sent = [span('eee19b7ec3c1b174'), span('eee19b7ec3c1b175', { kind: 2, parentSpanId: '' })];
  forwarder.forward(sent);
  await forwarder.forceFlush();
  assert.equal(metrics.get('prefloop_forwarder_spans_total', { result: 'sent' }), 2);
  for (const s of sent) {
    const got = next.intake.spans.find((g) => g.spanId === s.spanId);
    assert.ok(got, `span ${s.spanId} arrived`);
    assert.deepEqual(got, { ...s, resource: { ...resource } });
  }
  await forwarder.shutdown();
});

test('an unreachable endpoint is counted and reported, never thrown', async () => {
  const messages: string[] = [];
  setDiagHandler((_level, component, message) => messages.push(`${component}: ${message}`));
  try {
    const dead = await startReceiver();
    const url = `${dead.url}/v1/traces`;
    await dead.receiver.close();
    const metrics = new Metrics();
    const forwarder = new OtlpForwarder({ url, timeoutMillis: 2_000 }, metrics);
    forwarder.forward([span('eee19b7ec3c1b176')]);
    await forwarder.forceFlush();
    assert.equal(metrics.get('prefloop_forwarder_spans_total', { result: 'failed' }), 1);
    assert.ok(messages.some((m) => m.startsWith('forwarder: could not forward 1 span(s)')));
    await forwarder.shutdown();
    forwarder.forward([span('eee19b7ec3c1b177')]);
    assert.equal(metrics.get('prefloop_forwarder_spans_total', { result: 'dropped' }), 1);
  } finally {
    setDiagHandler(() => {});
  }
});
