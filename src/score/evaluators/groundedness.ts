// Groundedness / context adherence: how much of the answer is supported by the retrieved documents.
import { z } from 'zod';
import { defineEvaluator } from './Evaluator.js';
import { nonAnswer } from './nonAnswer.js';
import { textFeatures } from './TextFeatures.js';
import { isBlank, unit } from './textBasics.js';

const params = z
  .object({
    /** A sentence counts as supported when this share of its content words occurs in the context. */
    sentence_support: z.number().min(0).max(1).default(0.6),
    /** Sentences with fewer content words than this ("Sure!", "Hope this helps.") are not judged. */
    min_terms: z.number().int().min(1).default(3),
    /** Also count system messages of the prompt as context (RAG prompts often inline documents there). */
    include_system_prompt: z.boolean().default(true),
    /**
     * A system message counts as context only with at least this many distinct content words: a one-line
     * instruction ("You are a helpful assistant.") is not material an answer could be grounded in.
     */
    min_system_terms: z.number().int().min(0).default(20),
  })
  .strict()
  .prefault({});

export const groundedness = defineEvaluator({
  name: 'groundedness',
  description: 'share of answer sentences whose content words occur in the retrieved documents / context',
  defaultDirection: 'higher_is_better',
  params,
  evaluate(record, p) {
    if (isBlank(record.response)) return null;
    const f = textFeatures(record);
    const known = f.contextTerms(p.include_system_prompt ? p.min_system_terms : undefined);
    // No retrieved documents and no system context: nothing to be grounded in.
    if (known === null) return null;
    // A non-answer states nothing that could be supported or not.
    if (nonAnswer(record) !== '') return null;
    let judged = 0;
    let supported = 0;
    let weakest = { sentence: '', support: 1 };
    for (const { sentence, terms } of f.sentenceTerms) {
      if (terms.length < p.min_terms) continue;
      let hits = 0;
      for (const t of terms) if (known.has(t)) hits++;
      const support = hits / terms.length;
      judged += terms.length;
      if (support >= p.sentence_support) supported += terms.length;
      if (support < weakest.support) weakest = { sentence, support };
    }
    // No sentence long enough to need support ("Sure!"): nothing to judge.
    if (judged === 0) return null;
    const score = unit(supported / judged);
    const label = score >= 0.8 ? 'grounded' : score >= 0.4 ? 'partially_grounded' : 'ungrounded';
    const detail =
      weakest.support < p.sentence_support
        ? `; least supported: "${clip(weakest.sentence)}" (${Math.round(weakest.support * 100)}% of its words in context)`
        : '';
    return {
      score,
      label,
      explanation: `${Math.round(score * 100)}% of answer content (by words) is in supported sentences${detail}`,
    };
  },
});

function clip(s: string): string {
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}
