// The contract every deterministic evaluator meets: a pure function of a span record and its params.
import type { z } from 'zod';
import type { SpanRecord } from '../../records/types.js';
import { textFeatures, type TextTarget } from './TextFeatures.js';

/** What one evaluator says about one span. */
export interface EvaluatorResult {
  /** In [0, 1]; what "good" means is the rubric's direction (toxicity: higher is worse). */
  score: number;
  label: string;
  explanation: string;
}

/** A deterministic evaluator: pure, no I/O, cheap enough to run on every span. */
export interface Evaluator<P> {
  /** The name a rubric file uses in `evaluator:`. */
  readonly name: string;
  /** One line for docs and errors. */
  readonly description: string;
  /** The direction a rubric gets when it does not say. */
  readonly defaultDirection: 'higher_is_better' | 'lower_is_better';
  /** Validates and defaults the rubric's `params` at load time, so bad params fail before any span. */
  readonly params: z.ZodType<P>;
  /** Scores one span; null when the evaluator has nothing to judge (e.g. no documents for groundedness). */
  evaluate(record: SpanRecord, params: P): EvaluatorResult | null;
}

/** An evaluator with its params type erased, as the registry holds it. */
export interface AnyEvaluator {
  readonly name: string;
  readonly description: string;
  readonly defaultDirection: 'higher_is_better' | 'lower_is_better';
  readonly params: z.ZodType<unknown>;
  evaluate(record: SpanRecord, params: unknown): EvaluatorResult | null;
}

/** Erases the params type; safe because params are always produced by the evaluator's own schema. */
export function defineEvaluator<P>(e: Evaluator<P>): AnyEvaluator {
  return e as unknown as AnyEvaluator;
}

/** The text an evaluator reads from a span: the response, the last user message, or the whole prompt. */
export function targetText(record: SpanRecord, target: TextTarget): string {
  return textFeatures(record).text(target);
}
