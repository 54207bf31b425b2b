// The pipeline behind the receiver: mask → normalise → score → sink, answering each offer at once.
import { diag } from '../observe/diag.js';
import type { Metrics } from '../observe/Metrics.js';
import type { DecodedSpan, EvaluationRecord, FeedbackRecord, SpanRecord } from '../normalize/types.js';
import type { OfferResult, SpanIntake } from './contracts.js';

/** What the pipeline hands the sink: one request's worth of rows. */
export interface SinkBatch {
  spans: SpanRecord[];
  feedback: FeedbackRecord[];
  evaluations: EvaluationRecord[];
}

/** The sink as the pipeline sees it (src/sink/SpanSink.ts). */
export interface PipelineSink {
  hasRoom(spans: number, bytes: number): boolean;
  enqueue(batch: SinkBatch, bytes: number): void;
  isHealthy(): boolean;
}

/** The scoring stage as the pipeline sees it (src/score/). */
export interface PipelineScorer {
  /** Deterministic rubric results for one span (fast, synchronous). */
  scoreSync(record: SpanRecord): EvaluationRecord[];
  /** True when an LLM judge applies to this span. */
  needsJudge(record: SpanRecord): boolean;
  /** Judge results, or fewer when the wait cap passes first (late ones go to `onLate`). */
  scoreWithJudges(
    record: SpanRecord,
    onLate: (late: EvaluationRecord[]) => void,
  ): Promise<EvaluationRecord[]>;
  /** Appends evaluation attributes after any index already on the span. */
  appendAttributes(record: SpanRecord, results: EvaluationRecord[]): void;
}

export interface PipelineStages {
  /** Masking before anything is scored, stored or forwarded; identity when not configured. */
  maskSpan: (span: DecodedSpan) => DecodedSpan;
  maskFeedback: (feedback: FeedbackRecord) => FeedbackRecord;
  normalize: (span: DecodedSpan) => SpanRecord;
  extractFeedback: (span: DecodedSpan) => FeedbackRecord[];
  scorers: PipelineScorer[];
  sink: PipelineSink;
  /** Enriched spans also go here (OTLP forwarders); never awaited on the hot path. */
  forward?: (spans: DecodedSpan[]) => void;
  metrics: Metrics;
}

export class Pipeline implements SpanIntake {
  private closing = false;
  private readonly pendingJudges = new Set<Promise<void>>();

  constructor(private readonly stages: PipelineStages) {
    const m = stages.metrics;
    m.counter('prefloop_pipeline_spans_total', 'Spans normalised and scored by the pipeline');
    m.counter('prefloop_pipeline_llm_spans_total', 'LLM spans (pair candidates) seen');
    m.counter('prefloop_pipeline_feedback_total', 'Feedback and evaluation records taken in');
    m.counter('prefloop_pipeline_evaluations_total', 'Rubric results produced');
    m.counter('prefloop_pipeline_refused_total', 'Offers refused (labels: reason)');
    m.counter('prefloop_pipeline_errors_total', 'Spans that failed a stage and were stored unscored');
    m.gauge(
      'prefloop_pipeline_judge_pending',
      'Spans waiting for an LLM judge',
      () => this.pendingJudges.size,
    );
  }

  offer(spans: DecodedSpan[], feedback: FeedbackRecord[], bytes: number): OfferResult {
    const { sink, metrics } = this.stages;
    if (this.closing) return this.refuse('shutting_down', 5);
    if (!sink.hasRoom(spans.length + feedback.length, bytes)) return this.refuse('full', 1);

    const batch: SinkBatch = { spans: [], feedback: feedback.map(this.stages.maskFeedback), evaluations: [] };
    const judged: SpanRecord[] = [];
    for (const raw of spans) {
      const span = this.stages.maskSpan(raw);
      const record = this.stages.normalize(span);
      for (const f of this.stages.extractFeedback(span)) batch.feedback.push(this.stages.maskFeedback(f));
      if (record.isLlm) metrics.inc('prefloop_pipeline_llm_spans_total');
      try {
        for (const scorer of this.stages.scorers) {
          const results = scorer.scoreSync(record);
          scorer.appendAttributes(record, results);
          batch.evaluations.push(...results);
        }
      } catch (err) {
        // A rubric bug must not lose the span: store it unscored and say so.
        metrics.inc('prefloop_pipeline_errors_total');
        diag('error', 'pipeline', `scoring span ${record.span.spanId} failed; stored without scores`, err);
      }
      if (this.stages.scorers.some((s) => s.needsJudge(record))) judged.push(record);
      else batch.spans.push(record);
    }
    metrics.inc('prefloop_pipeline_spans_total', spans.length);
    metrics.inc('prefloop_pipeline_feedback_total', batch.feedback.length);
    metrics.inc('prefloop_pipeline_evaluations_total', batch.evaluations.length);
    sink.enqueue(batch, bytes);
    this.stages.forward?.(batch.spans.map((r) => r.span));
    for (const record of judged) this.judge(record);
    return { ok: true };
  }

  isReady(): boolean {
    return !this.closing && this.stages.sink.isHealthy();
  }

  /** Stops taking offers and waits for spans held for their judges to reach the sink. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.pendingJudges]);
  }

  private judge(record: SpanRecord): void {
    const { sink, metrics } = this.stages;
    const onLate = (late: EvaluationRecord[]) => {
      metrics.inc('prefloop_pipeline_evaluations_total', late.length);
      sink.enqueue({ spans: [], feedback: [], evaluations: late }, 0);
    };
    const work = (async () => {
      const evaluations: EvaluationRecord[] = [];
      for (const scorer of this.stages.scorers) {
        if (!scorer.needsJudge(record)) continue;
        try {
          const results = await scorer.scoreWithJudges(record, onLate);
          scorer.appendAttributes(record, results);
          evaluations.push(...results);
        } catch (err) {
          diag(
            'error',
            'pipeline',
            `judging span ${record.span.spanId} failed; stored without judge scores`,
            err,
          );
        }
      }
      metrics.inc('prefloop_pipeline_evaluations_total', evaluations.length);
      sink.enqueue({ spans: [record], feedback: [], evaluations }, 0);
      this.stages.forward?.([record.span]);
    })();
    this.pendingJudges.add(work);
    void work.finally(() => this.pendingJudges.delete(work));
  }

  private refuse(reason: 'full' | 'shutting_down', retryAfterSeconds: number): OfferResult {
    this.stages.metrics.inc('prefloop_pipeline_refused_total', 1, { reason });
    return { ok: false, reason, retryAfterSeconds };
  }
}
