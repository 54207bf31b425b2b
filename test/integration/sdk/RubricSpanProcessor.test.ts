// RubricSpanProcessor in a real OpenTelemetry SDK: evaluation attributes land on the exported spans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { RubricSpanProcessor } from '../../../src/sdk/RubricSpanProcessor.js';
import { Scorer } from '../../../src/score/Scorer.js';
import { parseRubricFile } from '../../../src/score/RubricFile.js';
import type { EvaluationRecord } from '../../../src/records/types.js';
import { startOpenAiServer } from '../../helpers/openaiServer.js';

const RUBRICS = `
rubrics:
  - {id: toxicity, evaluator: toxicity, threshold: 0.3}
  - {id: pii, evaluator: pii_leakage, threshold: 0, applies_to: {model: "gpt-*"}}
  - {id: length, evaluator: length, threshold: 0.5, params: {min: 1, max: 50}, applies_to: {service: other-app}}
`;

function llmAttributes(response: string): Record<string, string> {
  return {
    'openinference.span.kind': 'LLM',
    'llm.model_name': 'gpt-4o-mini',
    'llm.input_messages.0.message.role': 'user',
    'llm.input_messages.0.message.content': 'Who should I email?',
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.content': response,
  };
}

test('LLM spans get evaluation attributes after existing ones; other spans pass untouched', async () => {
  const set = parseRubricFile(RUBRICS);
  const exporter = new InMemorySpanExporter();
  const processor = new RubricSpanProcessor(new SimpleSpanProcessor(exporter), new Scorer(set));
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer('app');

  const span = tracer.startSpan('chat');
  span.setAttributes(llmAttributes('Email ann@example.com, you idiot.'));
  span.setAttribute('evaluations.0.evaluation.name', 'upstream_check');
  span.end();
  tracer.startSpan('db.query').end();
  await provider.forceFlush();

  const [llm, db] = exporter.getFinishedSpans();
  assert.ok(llm && db);
  const a = llm.attributes;
  assert.equal(a['evaluations.0.evaluation.name'], 'upstream_check', 'existing index kept');
  assert.equal(a['evaluations.1.evaluation.name'], 'toxicity');
  assert.equal(a['evaluations.1.evaluation.label'], 'toxic');
  assert.equal(a['evaluations.1.evaluation.annotator_kind'], 'CODE');
  assert.equal(a['evaluations.1.evaluation.identifier'], `toxicity@${set.hash}`);
  assert.equal(JSON.parse(a['evaluations.1.evaluation.metadata'] as string).rubric_file_hash, set.hash);
  assert.equal(a['evaluations.2.evaluation.name'], 'pii');
  assert.equal(a['evaluations.2.evaluation.score'], 0.5);
  assert.equal(a['evaluations.3.evaluation.name'], undefined, 'length applies to another service only');
  assert.equal(Object.keys(db.attributes).length, 0);

  await provider.shutdown();
  await processor.shutdown(); // a second shutdown is a no-op
});

test('judge results arrive through the callback for in-process spans', async () => {
  const server = await startOpenAiServer(() => ({ content: '{"score": 6, "label": "ok"}' }));
  try {
    const set = parseRubricFile(`
rubrics:
  - id: helpful
    evaluator: llm_judge
    threshold: 0.5
    judge: {base_url: ${server.baseUrl}, model: m, criteria: helpful?, scale: {min: 0, max: 10}}
`);
    const exporter = new InMemorySpanExporter();
    const late: EvaluationRecord[] = [];
    const processor = new RubricSpanProcessor(new SimpleSpanProcessor(exporter), new Scorer(set), {
      onJudgeResult: (_record, e) => late.push(e),
    });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    const span = provider.getTracer('app').startSpan('chat');
    span.setAttributes(llmAttributes('Ask your manager.'));
    span.end();
    await provider.forceFlush();
    assert.equal(late.length, 1, 'forceFlush waits for the judge');
    assert.deepEqual(
      [late[0]!.rubricId, late[0]!.score, late[0]!.spanId],
      ['helpful', 0.6, span.spanContext().spanId],
    );
    assert.equal(server.requests.length, 1, "the judge's own HTTP call did not create a scored span");
    await provider.shutdown();
  } finally {
    await server.close();
  }
});
