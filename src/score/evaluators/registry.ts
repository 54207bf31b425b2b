// The deterministic evaluators by the name a rubric file uses in `evaluator:`.
import type { AnyEvaluator } from './Evaluator.js';
import { answerRefusal } from './refusal.js';
import { completeness } from './completeness.js';
import { formatAdherence } from './formatAdherence.js';
import { groundedness } from './groundedness.js';
import { length } from './length.js';
import { piiLeakage } from './piiLeakage.js';
import { promptInjection } from './promptInjection.js';
import { toxicity } from './toxicity.js';

export const EVALUATORS: ReadonlyMap<string, AnyEvaluator> = new Map(
  [
    groundedness,
    completeness,
    answerRefusal,
    toxicity,
    promptInjection,
    piiLeakage,
    formatAdherence,
    length,
  ].map((e) => [e.name, e]),
);

/** The evaluator name that makes a rubric an LLM judge instead of a deterministic evaluator. */
export const LLM_JUDGE = 'llm_judge';
