// In an application's own process: scores LLM spans as they end, writes evaluation attributes, hands them on.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { GENAI, OI } from '../conventions.js';
import { normalizeSpan, type NormalizeOptions } from '../normalize/normalizeSpan.js';
import type { AttrMap, AttrValue, DecodedSpan } from '../records/types.js';
import { diag } from '../observe/diag.js';
import { evaluationAttributes, nextEvaluationIndex } from '../records/evaluationAttributes.js';
import type { LateEvaluation, Scorer } from '../score/Scorer.js';
import { rememberSpanScores } from '../score/spanScores.js';

export interface RubricSpanProcessorOptions {
  /** How spans are read (prompt class attribute). */
  normalize?: NormalizeOptions;
  /**
   * Receives LLM-judge results. A span cannot wait for a judge (it is ending), so every judge result is late;
   * without this callback judges are not run in process.
   */
  onJudgeResult?: LateEvaluation;
}

const COMPONENT = 'sdk/RubricSpanProcessor';

export class RubricSpanProcessor implements SpanProcessor {
  private shutdownOnce: Promise<void> | undefined;

  /**
   * @param next the processor that exports the scored spans (e.g. a BatchSpanProcessor)
   * @param scorer built from the rubric file the whole loop shares
   */
  constructor(
    private readonly next: SpanProcessor,
    private readonly scorer: Scorer,
    private readonly options: RubricSpanProcessorOptions = {},
  ) {}

  /** Delegates. */
  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  /** Scores the span while it can still take attributes; never throws into the application. */
  onEnding(span: Span): void {
    try {
      this.score(span);
    } catch (err) {
      diag('error', COMPONENT, `scoring span ${span.spanContext().spanId} failed; exported unscored`, err);
    }
    this.next.onEnding?.(span);
  }

  /** Delegates. */
  onEnd(span: ReadableSpan): void {
    this.next.onEnd(span);
  }

  /** Waits for judge results in flight, then flushes the wrapped processor. */
  async forceFlush(): Promise<void> {
    await this.scorer.forceFlush();
    await this.next.forceFlush();
  }

  /** Runs once: drains judges, then shuts the wrapped processor down. */
  shutdown(): Promise<void> {
    this.shutdownOnce ??= this.forceFlush().then(() => this.next.shutdown());
    return this.shutdownOnce;
  }

  private score(span: Span): void {
    // Most spans of an app are not LLM calls: skip them before any conversion work.
    const a = span.attributes;
    if (a[OI.spanKind] === undefined && a[GENAI.operationName] === undefined && a[GENAI.system] === undefined)
      return;
    const record = normalizeSpan(toDecodedSpan(span), this.options.normalize);
    const results = this.scorer.scoreSync(record);
    const start = nextEvaluationIndex(span.attributes);
    if (results.length > 0) span.setAttributes(evaluationAttributes(start, results, this.scorer.set.hash));
    // For PrefloopStoreExporter: the rows it writes are these results, not a re-reading of the attributes.
    rememberSpanScores(span, { start, results });
    const onJudge = this.options.onJudgeResult;
    if (onJudge && this.scorer.hasJudges) {
      void this.scorer.scoreWithJudges([record], onJudge).then((rows) => {
        for (const e of rows[0] ?? []) onJudge(record, e);
      });
    }
  }
}

/** A live SDK span as the pipeline's DecodedSpan (ids from its context, hrTime as bigint nanoseconds). */
export function toDecodedSpan(span: ReadableSpan): DecodedSpan {
  const ctx = span.spanContext();
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? '',
    traceState: ctx.traceState?.serialize() ?? '',
    name: span.name,
    // The API's SpanKind starts at INTERNAL = 0; OTLP's enum reserves 0 for unspecified.
    kind: span.kind + 1,
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    attributes: attrs(span.attributes),
    events: span.events.map((e) => ({
      timeUnixNano: nanos(e.time),
      name: e.name,
      attributes: attrs(e.attributes),
    })),
    links: span.links.map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      traceState: l.context.traceState?.serialize() ?? '',
      attributes: attrs(l.attributes),
    })),
    statusCode: span.status.code,
    statusMessage: span.status.message ?? '',
    resource: attrs(span.resource.attributes),
    scopeName: span.instrumentationScope.name,
    scopeVersion: span.instrumentationScope.version ?? '',
  };
}

function nanos([s, ns]: readonly [number, number]): bigint {
  return BigInt(s) * 1_000_000_000n + BigInt(ns);
}

function attrs(a: Readonly<Record<string, unknown>> | undefined): AttrMap {
  const out: AttrMap = {};
  if (!a) return out;
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map((x) => (x === undefined ? null : (x as AttrValue))) : (v as AttrValue);
  }
  return out;
}
