// Pipeline.offer: a span whose processing throws is left out and named; the rest of the request is taken.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULTS } from '../../../src/names.js';
import { extractFeedback } from '../../../src/normalize/extractFeedback.js';
import { normalizeSpan } from '../../../src/normalize/normalizeSpan.js';
import type { DecodedSpan, FeedbackRecord, SpanRecord } from '../../../src/records/types.js';
import { Metrics } from '../../../src/observe/Metrics.js';
import { Pipeline, PIPELINE_METRICS } from '../../../src/pipeline/Pipeline.js';
import type { PipelineSink, PipelineStages } from '../../../src/pipeline/Pipeline.js';
import type { SinkRecords } from '../../../src/sink/Batch.js';
import { loadRubricFile } from '../../../src/score/RubricFile.js';
import { Scorer } from '../../../src/score/Scorer.js';
import { span } from '../normalize/spans.js';

class MemorySink implements PipelineSink {
  readonly batches: SinkRecords[] = [];
  hasRoom(): boolean {
    return true;
  }
  neverFits(): string | undefined {
    return undefined;
  }
  enqueue(
    batch: SinkRecords,
    _bytes?: number,
    _onUnencodable?: (r: SpanRecord | undefined, why: string) => void,
  ): boolean {
    this.batches.push(batch);
    return true;
  }
  enqueueAcknowledged(batch: SinkRecords): void {
    this.batches.push(batch);
  }
  isHealthy(): boolean {
    return true;
  }
}

type Report = (record: SpanRecord | undefined, why: string) => void;

/**
 * A MemorySink that reports records back as unencodable, as SpanSink.enqueue does (its side of it is tested
 * with the real encoder in test/unit/sink/batches.test.ts).
 */
class ReportingSink extends MemorySink {
  constructor(private readonly pick: (batch: SinkRecords, report: Report) => void) {
    super();
  }
  override enqueue(batch: SinkRecords, _bytes?: number, onUnencodable?: Report): boolean {
    if (onUnencodable) this.pick(batch, onUnencodable);
    return super.enqueue(batch);
  }
}

const llm = (name: string, spanId: string): DecodedSpan =>
  span(
    {
      'openinference.span.kind': 'LLM',
      'input.value': 'What is the capital of France?',
      'output.value': 'Paris.',
      'annotations.0.annotation.name': 'user_feedback',
      'annotations.0.annotation.label': 'thumbs_up',
    },
    { name, spanId },
  );

/** A pipeline without masking or rubrics over `stages.sink`. */
function plainPipeline(stages: Pick<PipelineStages, 'sink' | 'metrics' | 'forward'>): Pipeline {
  return new Pipeline({
    maskSpan: (s) => s,
    maskFeedback: (f) => f,
    normalize: normalizeSpan,
    extractFeedback,
    scorers: [],
    ...stages,
  });
}

test('a span whose normalisation throws is named in the answer; the others, their feedback and scores are taken', () => {
  const sink = new MemorySink();
  const metrics = new Metrics();
  const pipeline = new Pipeline({
    maskSpan: (s) => s,
    maskFeedback: (f) => f,
    normalize: (s) => {
      if (s.name === 'odd') throw new Error('boom');
      return normalizeSpan(s);
    },
    extractFeedback,
    scorers: [new Scorer(loadRubricFile(DEFAULTS.rubricFile), { skipJudges: true })],
    sink,
    metrics,
  });
  const answer = pipeline.offer(
    [llm('first', '1111111111111111'), llm('odd', '2222222222222222'), llm('last', '3333333333333333')],
    [],
    100,
  );
  assert.deepEqual(answer, {
    ok: true,
    failed: ['span 2222222222222222 "odd" could not be processed (boom)'],
  });
  const [batch] = sink.batches;
  assert.deepEqual(
    batch!.spans.map((r) => r.span.name),
    ['first', 'last'],
  );
  assert.equal(batch!.feedback.length, 2, 'the feedback of the taken spans only');
  assert.ok(
    batch!.spans.every((r) => (r.addedEvaluations?.[0]?.results.length ?? 0) > 0),
    'scored',
  );
  assert.equal(metrics.get(PIPELINE_METRICS.failed), 1);
  assert.equal(metrics.get(PIPELINE_METRICS.spans), 2);
});

test('a request without failures answers plain ok', () => {
  const pipeline = plainPipeline({ sink: new MemorySink(), metrics: new Metrics() });
  assert.deepEqual(pipeline.offer([llm('only', '4444444444444444')], [], 10), { ok: true });
});

test('a span the sink cannot encode is named in the answer like one that failed processing, and not forwarded', () => {
  const metrics = new Metrics();
  const forwarded: string[] = [];
  // The sink reports the span named 'odd' back.
  const sink = new ReportingSink((batch, report) => {
    for (const r of batch.spans)
      if (r.span.name === 'odd') report(r, `span ${r.span.spanId} "odd" could not be encoded`);
  });
  const pipeline = plainPipeline({
    sink,
    metrics,
    forward: (spans) => forwarded.push(...spans.map((s) => s.name)),
  });
  const answer = pipeline.offer([llm('first', '1111111111111111'), llm('odd', '2222222222222222')], [], 100);
  assert.deepEqual(answer, { ok: true, failed: ['span 2222222222222222 "odd" could not be encoded'] });
  assert.deepEqual(forwarded, ['first']);
  assert.equal(metrics.get(PIPELINE_METRICS.failed), 1);
});

const feedback = (name: string, spanId: string): FeedbackRecord => ({
  feedbackId: `fb-${spanId}`,
  timeUnixNano: 1n,
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId,
  sessionId: '',
  name,
  score: 1,
  label: '',
  explanation: '',
  annotatorKind: 'HUMAN',
  annotatorId: '',
  identifier: '',
  origin: 'api',
  metadata: '',
});

test('a feedback record whose masking throws is left out and named apart from spans; the others are taken', () => {
  const sink = new MemorySink();
  const metrics = new Metrics();
  const pipeline = new Pipeline({
    maskSpan: (s) => s,
    maskFeedback: (f) => {
      if (f.name === 'odd') throw new Error('mask bug');
      return f;
    },
    normalize: normalizeSpan,
    extractFeedback,
    scorers: [],
    sink,
    metrics,
  });
  const answer = pipeline.offer(
    [],
    [feedback('user_feedback', 'aaaaaaaaaaaaaaaa'), feedback('odd', 'bbbbbbbbbbbbbbbb')],
    100,
  );
  assert.deepEqual(answer, {
    ok: true,
    failedFeedback: ['feedback record "odd" on span bbbbbbbbbbbbbbbb could not be processed (mask bug)'],
  });
  assert.deepEqual(
    sink.batches[0]!.feedback.map((f) => f.spanId),
    ['aaaaaaaaaaaaaaaa'],
  );
  assert.equal(metrics.get(PIPELINE_METRICS.failedFeedback), 1);
  assert.equal(metrics.get(PIPELINE_METRICS.feedback), 1);
  assert.equal(metrics.get(PIPELINE_METRICS.failed), 0, 'no span failed');
});

test('feedback the sink cannot encode is named apart from spans: the span that carried it is kept', () => {
  const metrics = new Metrics();
  const forwarded: string[] = [];
  const sink = new ReportingSink((batch, report) => {
    for (const f of batch.feedback) report(undefined, `feedback record "${f.name}" could not be encoded`);
  });
  const pipeline = plainPipeline({
    sink,
    metrics,
    forward: (spans) => forwarded.push(...spans.map((s) => s.name)),
  });
  const answer = pipeline.offer([llm('first', '1111111111111111')], [], 100);
  assert.deepEqual(answer, {
    ok: true,
    failedFeedback: ['feedback record "user_feedback" could not be encoded'],
  });
  assert.deepEqual(forwarded, ['first'], 'the span is stored and forwarded');
  assert.equal(metrics.get(PIPELINE_METRICS.failed), 0);
  assert.equal(metrics.get(PIPELINE_METRICS.failedFeedback), 1);
  assert.equal(metrics.get(PIPELINE_METRICS.feedback), 0, 'the one feedback record was not taken');
});
