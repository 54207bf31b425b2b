// The pipeline behind the receiver: mask → normalise → score → sink, answering each offer at once.
import { METRICS } from '../names.js';
import { diag, errorText, recordName, spanName } from '../observe/diag.js';
import type { Metrics } from '../observe/Metrics.js';
import type { DecodedSpan, FeedbackRecord, SpanRecord } from '../records/types.js';
import type { SinkRecords } from '../sink/Batch.js';
import type { Scorer } from '../score/Scorer.js';
import { addEvaluationAttributes, enrichedAttributes } from '../records/evaluationAttributes.js';
import type { OfferResult, SpanIntake } from '../receive/SpanIntake.js';

/** Metric names the pipeline reports. */
export const PIPELINE_METRICS = METRICS.pipeline;

/** The sink as the pipeline sees it (src/sink/SpanSink.ts). */
export interface PipelineSink {
  hasRoom(spans: number, bytes: number): boolean;
  /** Why a request could never fit, even in an empty queue; undefined when it can. */
  neverFits(spans: number, bytes: number): string | undefined;
  /**
   * False when the batch did not fit (it is then not taken). A record whose row cannot be encoded is left
   * out and handed to `onUnencodable` with why (and its span, when it was one).
   */
  enqueue(
    batch: SinkRecords,
    bytes: number,
    onUnencodable?: (record: SpanRecord | undefined, why: string) => void,
  ): boolean;
  /** Takes rows of a request already acknowledged (a judged span), past the queue bound if need be. */
  enqueueAcknowledged(batch: SinkRecords): void;
  isHealthy(): boolean;
}

export interface PipelineStages {
  /** Masking before anything is scored, stored or forwarded; identity when not configured. */
  maskSpan: (span: DecodedSpan) => DecodedSpan;
  maskFeedback: (feedback: FeedbackRecord) => FeedbackRecord;
  normalize: (span: DecodedSpan) => SpanRecord;
  extractFeedback: (span: DecodedSpan) => FeedbackRecord[];
  /** One scorer per rubrics processor, in pipeline order. */
  scorers: Scorer[];
  sink: PipelineSink;
  /** Enriched spans also go here (OTLP forwarders); never awaited on the hot path. */
  forward?: (spans: DecodedSpan[]) => void;
  metrics: Metrics;
}

export class Pipeline implements SpanIntake {
  private closing = false;
  private readonly pendingJudges = new Set<Promise<void>>();
  /** Whether any scorer has LLM judges: then LLM spans wait for them before they are stored. */
  private readonly judging: boolean;

  constructor(private readonly stages: PipelineStages) {
    this.judging = stages.scorers.some((s) => s.hasJudges);
    const m = stages.metrics;
    m.counter(PIPELINE_METRICS.spans, 'Spans normalised and scored by the pipeline');
    m.counter(PIPELINE_METRICS.llmSpans, 'LLM spans (pair candidates) seen');
    m.counter(PIPELINE_METRICS.feedback, 'Feedback and evaluation records taken in');
    m.counter(PIPELINE_METRICS.evaluations, 'Rubric results produced');
    m.counter(PIPELINE_METRICS.refused, 'Offers refused (labels: reason)');
    m.counter(
      PIPELINE_METRICS.failed,
      'Spans left out of a taken request because processing or encoding them threw',
    );
    m.counter(
      PIPELINE_METRICS.failedFeedback,
      'Feedback and evaluation records left out of a taken request because masking or encoding them threw',
    );
    m.gauge(PIPELINE_METRICS.judgePending, 'Spans waiting for an LLM judge', () => this.pendingJudges.size);
    m.gauge(PIPELINE_METRICS.judgeRequests, 'LLM judge requests running or waiting for a slot', () =>
      stages.scorers.reduce((n, s) => n + s.judgeDepth, 0),
    );
  }

  offer(spans: DecodedSpan[], feedback: FeedbackRecord[], bytes: number): OfferResult {
    const { sink, metrics } = this.stages;
    if (this.closing) return this.refuse('shutting_down', 5);
    const limit = sink.neverFits(spans.length + feedback.length, bytes);
    if (limit !== undefined) {
      metrics.inc(PIPELINE_METRICS.refused, 1, { reason: 'too_large' });
      return { ok: false, reason: 'too_large', limit };
    }
    if (!sink.hasRoom(spans.length + feedback.length, bytes)) return this.refuse('full', 1);

    const failed: string[] = [];
    const failedFeedback: string[] = [];
    const batch: SinkRecords = {
      spans: [],
      feedback: this.maskEach(feedback, failedFeedback),
      evaluations: [],
    };
    const judged: SpanRecord[] = [];
    let results = 0;
    let llmSpans = 0;
    for (const raw of spans) {
      let record: SpanRecord;
      let spanFeedback: FeedbackRecord[];
      let scored: number;
      // One span whose content trips a bug must not cost its request (a throw here was a 500, which OTLP
      // clients do not retry): it is left out and named in the answer's partial_success; the rest are kept.
      try {
        ({ record, spanFeedback, scored } = this.process(raw));
      } catch (err) {
        failed.push(`${spanName(raw)} could not be processed (${errorText(err)})`);
        diag(
          'error',
          'pipeline',
          `span ${raw.spanId} could not be processed; refused in partial_success`,
          err,
        );
        continue;
      }
      batch.feedback.push(...spanFeedback);
      results += scored;
      if (record.isLlm) llmSpans++;
      if (record.isLlm && this.judging) judged.push(record);
      else batch.spans.push(record);
    }
    metrics.inc(PIPELINE_METRICS.spans, spans.length - failed.length);
    metrics.inc(PIPELINE_METRICS.evaluations, results);
    metrics.inc(PIPELINE_METRICS.llmSpans, llmSpans);
    // A span the sink cannot encode is left out like one whose processing threw: named, and not forwarded.
    // So is a feedback record, named apart (it is not one of the request's spans).
    const unencodable = new Set<SpanRecord>();
    let unencodableFeedback = 0;
    const taken = sink.enqueue(batch, bytes, (record, why) => {
      if (record) {
        failed.push(why);
        unencodable.add(record);
      } else {
        failedFeedback.push(why);
        unencodableFeedback += 1;
      }
    });
    if (!taken) return this.refuse('full', 1);
    metrics.inc(PIPELINE_METRICS.feedback, batch.feedback.length - unencodableFeedback);
    if (failed.length > 0) metrics.inc(PIPELINE_METRICS.failed, failed.length);
    if (failedFeedback.length > 0) metrics.inc(PIPELINE_METRICS.failedFeedback, failedFeedback.length);
    const stored = unencodable.size === 0 ? batch.spans : batch.spans.filter((r) => !unencodable.has(r));
    this.stages.forward?.(stored.map(enrichedSpan));
    for (const record of judged) this.judge(record);
    if (failed.length === 0 && failedFeedback.length === 0) return { ok: true };
    return {
      ok: true,
      ...(failed.length > 0 ? { failed } : {}),
      ...(failedFeedback.length > 0 ? { failedFeedback } : {}),
    };
  }

  /**
   * Masks each feedback record of a request in its own guard, as spans are: a record that trips a bug in
   * masking is left out (and named in `failed`, the caller's list) rather than failing the request with a 500.
   */
  private maskEach(records: readonly FeedbackRecord[], failed: string[]): FeedbackRecord[] {
    const masked: FeedbackRecord[] = [];
    for (const record of records) {
      try {
        masked.push(this.stages.maskFeedback(record));
      } catch (err) {
        const what = recordName('feedback record', record.name, record);
        failed.push(`${what} could not be processed (${errorText(err)})`);
        diag('error', 'pipeline', `${what} could not be masked; left out of its request`, err);
      }
    }
    return masked;
  }

  /** Masks, normalises and scores one span; the feedback it carries is read from the masked span. */
  private process(raw: DecodedSpan): { record: SpanRecord; spanFeedback: FeedbackRecord[]; scored: number } {
    const span = this.stages.maskSpan(raw);
    const record = this.stages.normalize(span);
    // Masked again: metadata is masked value by value once parsed as JSON (an address written as \u0040 in
    // the span's raw text would pass the span's patterns).
    const spanFeedback = this.stages.extractFeedback(span).map(this.stages.maskFeedback);
    let scored = 0;
    // scoreSync never throws: a failing evaluator is counted and the span kept without that score.
    for (const scorer of this.stages.scorers) {
      const results = scorer.scoreSync(record);
      addEvaluationAttributes(record, results, scorer.set.hash);
      scored += results.length;
    }
    return { record, spanFeedback, scored };
  }

  isReady(): boolean {
    return !this.closing && this.stages.sink.isHealthy() && this.stages.sink.hasRoom(1, 0);
  }

  /** Waits until spans held for their judges (and late judge results) have reached the sink. */
  async settle(): Promise<void> {
    while (this.pendingJudges.size > 0) await Promise.allSettled([...this.pendingJudges]);
    for (const scorer of this.stages.scorers) await scorer.forceFlush();
  }

  /** Stops taking offers and waits for spans held for their judges to reach the sink. */
  async close(): Promise<void> {
    this.closing = true;
    await this.settle();
  }

  /** Holds a span until its judges answer or their wait cap passes, then sinks it with what came back. */
  private judge(record: SpanRecord): void {
    const { metrics } = this.stages;
    const work = (async () => {
      let results = 0;
      for (const scorer of this.stages.scorers) {
        if (!scorer.hasJudges) continue;
        try {
          const [judgements = []] = await scorer.scoreWithJudges([record], (_late, evaluation) => {
            // Past the cap the span is already stored: the score lands on its own row, joined by span id.
            metrics.inc(PIPELINE_METRICS.evaluations);
            this.sinkLate({ spans: [], feedback: [], evaluations: [evaluation] });
          });
          addEvaluationAttributes(record, judgements, scorer.set.hash);
          results += judgements.length;
        } catch (err) {
          diag(
            'error',
            'pipeline',
            `judging span ${record.span.spanId} failed; stored without judge scores`,
            err,
          );
        }
      }
      metrics.inc(PIPELINE_METRICS.evaluations, results);
      this.sinkLate({ spans: [record], feedback: [], evaluations: [] });
      this.stages.forward?.([enrichedSpan(record)]);
    })();
    this.pendingJudges.add(work);
    void work.finally(() => this.pendingJudges.delete(work));
  }

  /** Sinks rows whose request was already acknowledged: they were promised, so the queue bound does not apply. */
  private sinkLate(batch: SinkRecords): void {
    this.stages.sink.enqueueAcknowledged(batch);
  }

  private refuse(reason: 'full' | 'shutting_down', retryAfterSeconds: number): OfferResult {
    this.stages.metrics.inc(PIPELINE_METRICS.refused, 1, { reason });
    return { ok: false, reason, retryAfterSeconds };
  }
}

/** The span as it leaves prefloop: its own attributes followed by the rubric results added to it. */
function enrichedSpan(record: SpanRecord): DecodedSpan {
  return record.addedEvaluations ? { ...record.span, attributes: enrichedAttributes(record) } : record.span;
}
