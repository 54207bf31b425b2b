// Hands the rubric results the in-process processor computed to the exporter that stores the same span.
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { EvaluationRecord } from '../records/types.js';

/** What RubricSpanProcessor wrote onto one span. */
export interface SpanScores {
  /** The first `evaluations.{i}` index it wrote; lower indexes were on the span already (upstream results). */
  start: number;
  /** Its results, exactly as the Scorer returned them (also written as attributes from `start` on). */
  results: readonly EvaluationRecord[];
}

// Keyed by the SDK span object, which is the same object in onEnding and in the exporter's export();
// weak, so a span that is never exported (dropped by a sampler or a full queue) leaks nothing.
const scores = new WeakMap<ReadableSpan, SpanScores>();

/** Remembers the results written onto `span` (an empty list marks "scored, nothing applied"). */
export function rememberSpanScores(span: ReadableSpan, value: SpanScores): void {
  scores.set(span, value);
}

/** The results RubricSpanProcessor wrote onto `span`, or undefined when it did not score it. */
export function spanScoresOf(span: ReadableSpan): SpanScores | undefined {
  return scores.get(span);
}
