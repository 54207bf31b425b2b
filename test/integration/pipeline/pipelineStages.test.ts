// The serve pipeline's configurable stages, end to end: OTLP JSON in, masking before anything is stored,
// and forwarding of the enriched spans to the next OTLP hop.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { parseConfig } from '../../../src/config/loadConfig.js';
import { startPrefloop } from '../../../src/serve/startPrefloop.js';
import type { RunningPrefloop } from '../../../src/serve/startPrefloop.js';
import { startReceiver } from '../receive/harness.js';
import type { Running } from '../receive/harness.js';

const SECRET_EMAIL = 'jane.doe@example.com';

let dir: string;
let next: Running;
let running: RunningPrefloop;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prefloop-stages-'));
  next = await startReceiver();
  const config = parseConfig(
    `
receivers: { otlp: {} }
processors:
  masking: { builtin_patterns: [emails] }
  rubrics: { file: collector-config/rubrics.yaml }
exporters:
  clickhouse: { batch: { flush_interval: 200ms } }
  otlphttp/next: { endpoint: "${next.url}" }
service:
  pipelines:
    traces: { receivers: [otlp], processors: [masking, rubrics], exporters: [clickhouse, otlphttp/next] }
`,
    'stages.yaml',
    {},
  );
  running = await startPrefloop({
    config,
    storeUrl: `embedded:${join(dir, 'store')}`,
    endpoint: '127.0.0.1:0',
  });
});

after(async () => {
  await running.close();
  await next.receiver.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

test('OTLP JSON exporter → stored exact; masking hides secrets everywhere; enriched spans forwarded', async () => {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [
      new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${running.url}/v1/traces` })),
      new SimpleSpanProcessor(memory),
    ],
  });
  provider
    .getTracer('json-app')
    .startSpan('chat', {
      attributes: {
        'openinference.span.kind': 'LLM',
        'input.value': `My email is ${SECRET_EMAIL}, what is 2+2?`,
        'output.value': `4. I will write to ${SECRET_EMAIL}.`,
        'llm.token_count.prompt': 12,
        // Feedback read from the span is read after masking: the address must not reach feedback either.
        'annotations.0.annotation.name': 'user_feedback',
        'annotations.0.annotation.label': 'thumbs_down',
        'annotations.0.annotation.explanation': `wrong, says ${SECRET_EMAIL}`,
        'evaluations.0.evaluation.name': 'upstream_check',
        'evaluations.0.evaluation.label': SECRET_EMAIL,
      },
    })
    .end();
  await provider.forceFlush();
  const [sent] = memory.getFinishedSpans();
  await provider.shutdown();
  await running.flush();

  const rows = await running.store.query<{
    SpanId: string;
    TraceId: string;
    ns: string;
    SpanAttributes: Record<string, string>;
    PromptMessages: string;
    Response: string;
  }>(
    'SELECT SpanId, TraceId, toString(toUnixTimestamp64Nano(Timestamp)) AS ns, SpanAttributes, PromptMessages, Response FROM otel_traces',
  );
  assert.equal(rows.length, 1);
  const row = rows[0]!;
  assert.equal(row.SpanId, sent!.spanContext().spanId);
  assert.equal(row.TraceId, sent!.spanContext().traceId);
  assert.equal(row.ns, (BigInt(sent!.startTime[0]) * 1_000_000_000n + BigInt(sent!.startTime[1])).toString());
  assert.equal(row.SpanAttributes['llm.token_count.prompt'], '12');

  // Masking ran before normalising, scoring and storing: the address is nowhere in ClickHouse.
  const everything = await running.store.queryText('SELECT * FROM otel_traces', 'JSONEachRow');
  const evaluations = await running.store.queryText('SELECT * FROM evaluations', 'JSONEachRow');
  const feedback = await running.store.queryText('SELECT * FROM feedback', 'JSONEachRow');
  assert.ok(
    evaluations.includes('upstream_check') && evaluations.includes('toxicity'),
    'the span was scored',
  );
  assert.ok(feedback.includes('thumbs_down'), 'the feedback on the span was stored');
  for (const text of [everything, evaluations, feedback])
    assert.ok(!text.includes(SECRET_EMAIL), 'no email stored');
  assert.match(row.Response, /__REDACTED__/);
  assert.match(row.PromptMessages, /__REDACTED__/);

  // The next hop gets the same (masked) span with prefloop's evaluation attributes.
  const deadline = Date.now() + 15_000;
  while (next.intake.spans.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(next.intake.spans.length, 1, 'forwarded to the next OTLP hop');
  const forwarded = next.intake.spans[0]!;
  assert.equal(forwarded.spanId, row.SpanId);
  assert.ok(
    Object.keys(forwarded.attributes).some((k) => /^evaluations\.\d+\.evaluation\.name$/.test(k)),
    'forwarded span carries the rubric scores',
  );
  assert.ok(
    !JSON.stringify(forwarded.attributes, (_k, v: unknown) =>
      typeof v === 'bigint' ? String(v) : v,
    ).includes(SECRET_EMAIL),
    'forwarded span is masked',
  );
});
