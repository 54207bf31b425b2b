// The scoring stage: deterministic rubrics inline on every span, LLM judges bounded by a per-span wait cap.
import { METRICS, PREFLOOP_ATTRS } from '../names.js';
import type { EvaluationRecord, SpanRecord } from '../records/types.js';
import type { BoundCounter, Metrics } from '../observe/Metrics.js';
import { diag } from '../observe/diag.js';
import { appliesTo } from './appliesTo.js';
import type { AnyEvaluator, EvaluatorResult } from './evaluators/Evaluator.js';
import { EVALUATORS } from './evaluators/registry.js';
import { LlmJudge, type LlmJudgeOptions } from './judge/LlmJudge.js';
import type { Rubric, RubricSet } from './RubricFile.js';
import { passes } from './RubricFile.js';

export interface ScorerOptions {
  /** Counters land here (declared on construction). */
  metrics?: Metrics;
  /** Build no judges (deterministic rubrics only), e.g. for offline runs without an API key. */
  skipJudges?: boolean;
  /** Passed to each judge (env for the API key lookup). */
  judge?: LlmJudgeOptions;
  /** Clock for evaluation timestamps (ns); defaults to Date.now(). */
  now?: () => bigint;
}

/** A judge result that missed its span's wait cap; store it separately, joined by trace/span id. */
export type LateEvaluation = (record: SpanRecord, evaluation: EvaluationRecord) => void;

const COMPONENT = 'score';
const M = METRICS.scorer;

interface CodeRubric {
  rubric: Rubric;
  evaluator: AnyEvaluator;
  /** Metadata JSON for a failed and a passed result: built once, since only `passed` varies by span. */
  metadata: readonly [string, string];
  /** Metric labels, one object per rubric rather than one per result. */
  labels: { rubric: string };
  /** The rubric's prefloop_evaluations_total counter, bound once; undefined without a metrics registry. */
  written: BoundCounter | undefined;
}

export class Scorer {
  private readonly code: CodeRubric[] = [];
  private readonly judges: LlmJudge[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private readonly now: () => bigint;

  constructor(
    readonly set: RubricSet,
    private readonly options: ScorerOptions = {},
  ) {
    this.now = options.now ?? (() => BigInt(Date.now()) * 1_000_000n);
    const m = options.metrics;
    if (m) {
      m.counter(M.evaluations, 'Rubric results written, by rubric.');
      m.counter(
        M.errors,
        'Deterministic evaluators that threw, by rubric (the span is kept without that score).',
      );
      m.counter(
        M.judgeLate,
        'Judge results that missed the span wait cap and were delivered late, by rubric.',
      );
      m.counter(M.judgeSkipped, 'Spans a judge rubric applied to but the sample rate left out, by rubric.');
      m.counter(M.judgeErrors, 'Judge calls that failed (HTTP or unreadable answer), by rubric.');
    }
    for (const rubric of set.rubrics) {
      if (rubric.annotatorKind === 'LLM') {
        if (!options.skipJudges) this.judges.push(new LlmJudge(rubric, options.judge));
        continue;
      }
      const labels = Object.freeze({ rubric: rubric.id });
      this.code.push({
        rubric,
        evaluator: EVALUATORS.get(rubric.evaluator)!,
        metadata: [this.metadata(rubric, false, {}), this.metadata(rubric, true, {})],
        labels,
        written: m?.bind(M.evaluations, labels),
      });
    }
  }

  /** Whether any judge rubric is active (callers skip scoreWithJudges otherwise). */
  get hasJudges(): boolean {
    return this.judges.length > 0;
  }

  /** Judge requests running or queued across rubrics. */
  get judgeDepth(): number {
    return this.judges.reduce((n, j) => n + j.depth, 0);
  }

  /** Deterministic rubric results for one span; never throws (a failing evaluator is counted and reported). */
  scoreSync(record: SpanRecord): EvaluationRecord[] {
    const out: EvaluationRecord[] = [];
    let time: bigint | undefined;
    for (const { rubric, evaluator, metadata, labels, written } of this.code) {
      let result: EvaluatorResult | null;
      // The match is inside the try too: a throw here would fail the span's whole request.
      try {
        if (!appliesTo(rubric.appliesTo, record)) continue;
        result = evaluator.evaluate(record, rubric.params);
      } catch (err) {
        this.options.metrics?.inc(M.errors, 1, labels);
        diag(
          'error',
          COMPONENT,
          `rubric ${rubric.id} (evaluator ${rubric.evaluator}) failed on span ${record.span.spanId}`,
          err,
        );
        continue;
      }
      if (!result) continue;
      // One clock read per span: all its deterministic results are the same moment's verdict.
      time ??= this.now();
      written?.inc();
      out.push(this.toRecord(rubric, record, result, metadata[passes(rubric, result.score) ? 1 : 0], time));
    }
    return out;
  }

  /**
   * Judge results for each record (same order as `records`), resolved when every judge has answered or each
   * rubric's `max_wait_ms` has passed. A result that arrives after the cap goes to `onLate` instead.
   */
  async scoreWithJudges(
    records: readonly SpanRecord[],
    onLate: LateEvaluation,
  ): Promise<EvaluationRecord[][]> {
    const results: EvaluationRecord[][] = records.map(() => []);
    const waits: Promise<void>[] = [];
    records.forEach((record, i) => {
      for (const judge of this.judges) {
        if (!appliesTo(judge.rubric.appliesTo, record) || record.response.trim() === '') continue;
        if (!judge.sampled(record)) {
          this.options.metrics?.inc(M.judgeSkipped, 1, { rubric: judge.rubric.id });
          continue;
        }
        waits.push(this.judgeOne(judge, record, results[i]!, onLate));
      }
    });
    await Promise.all(waits);
    return results;
  }

  /** Waits for judge results still in flight (late ones included), so shutdown loses nothing. */
  async forceFlush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private judgeOne(
    judge: LlmJudge,
    record: SpanRecord,
    into: EvaluationRecord[],
    onLate: LateEvaluation,
  ): Promise<void> {
    const rubric = judge.rubric;
    let late = false;
    const work = judge.grade(record.prompt, record.response).then(
      (result) => {
        this.options.metrics?.inc(M.evaluations, 1, { rubric: rubric.id });
        const metadata = this.metadata(rubric, passes(rubric, result.score), {
          judge_model: judge.settings.model,
        });
        const evaluation = this.toRecord(rubric, record, result, metadata, this.now());
        if (!late) {
          into.push(evaluation);
          return;
        }
        this.options.metrics?.inc(M.judgeLate, 1, { rubric: rubric.id });
        try {
          onLate(record, evaluation);
        } catch (err) {
          diag('error', COMPONENT, `late-evaluation callback failed for rubric ${rubric.id}`, err);
        }
      },
      (err: unknown) => {
        this.options.metrics?.inc(M.judgeErrors, 1, { rubric: rubric.id });
        diag(
          'warn',
          COMPONENT,
          `judge for rubric ${rubric.id} gave no score for span ${record.span.spanId}`,
          err,
        );
      },
    );
    this.track(work);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        late = true;
        resolve();
      }, judge.settings.max_wait_ms);
      timer.unref();
      void work.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private toRecord(
    rubric: Rubric,
    record: SpanRecord,
    result: EvaluatorResult,
    metadata: string,
    timeUnixNano: bigint,
  ): EvaluationRecord {
    return {
      traceId: record.span.traceId,
      spanId: record.span.spanId,
      timeUnixNano,
      rubricId: rubric.id,
      rubricVersion: rubric.version,
      score: result.score,
      label: result.label,
      explanation: result.explanation,
      annotatorKind: rubric.annotatorKind,
      metadata,
    };
  }

  private metadata(rubric: Rubric, passed: boolean, extra: Record<string, unknown>): string {
    return JSON.stringify({
      [PREFLOOP_ATTRS.rubricFileHash]: this.set.hash,
      evaluator: rubric.evaluator,
      passed,
      threshold: rubric.threshold,
      higher_is_better: rubric.higherIsBetter,
      critical: rubric.critical,
      ...extra,
    });
  }
}
