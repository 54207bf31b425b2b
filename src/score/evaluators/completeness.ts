// Completeness: does the answer address what was asked (question terms covered) and is it finished.
import { z } from 'zod';
import { defineEvaluator } from './Evaluator.js';
import { textFeatures } from './TextFeatures.js';
import { countWords, unit } from './text.js';

const params = z
  .object({
    /** Answers shorter than this many words lose score in proportion (a bare "Yes." rarely completes). */
    min_words: z.number().int().min(0).default(5),
    /** Multiplier applied when the answer looks cut off (no closing punctuation, open code fence, "..."). */
    truncation_penalty: z.number().min(0).max(1).default(0.5),
  })
  .strict()
  .prefault({});

export const completeness = defineEvaluator({
  name: 'completeness',
  description:
    'share of the question’s content words the answer covers, penalised when cut off or very short',
  defaultDirection: 'higher_is_better',
  params,
  evaluate(record, p) {
    const f = textFeatures(record);
    const question = f.lastUser;
    const answer = record.response;
    if (question.trim() === '') return null;
    if (answer.trim() === '') return { score: 0, label: 'empty', explanation: 'the response is empty' };
    const asked = [...new Set(f.lastUserTerms)];
    const said = new Set(f.responseTerms);
    const covered = asked.filter((t) => said.has(t));
    const coverage = asked.length === 0 ? 1 : covered.length / asked.length;
    const n = f.responseWords.length;
    const lengthFactor = p.min_words === 0 ? 1 : Math.min(1, n / p.min_words);
    const cut = looksTruncated(answer);
    const score = unit(coverage * lengthFactor * (cut ? p.truncation_penalty : 1));
    const missing = asked.filter((t) => !said.has(t)).slice(0, 5);
    const parts = [`covers ${covered.length}/${asked.length} question terms`];
    if (missing.length > 0) parts.push(`missing: ${missing.join(', ')}`);
    if (cut) parts.push('looks truncated');
    if (lengthFactor < 1) parts.push(`only ${n} words`);
    const label = cut ? 'truncated' : score >= 0.6 ? 'complete' : score >= 0.3 ? 'partial' : 'incomplete';
    return { score, label, explanation: parts.join('; ') };
  },
});

/** Cut-off answers: an odd number of code fences, a trailing ellipsis, or a last line ending mid-sentence. */
export function looksTruncated(answer: string): boolean {
  const text = answer.trimEnd();
  if ((text.match(/```/g) ?? []).length % 2 === 1) return true;
  if (/(\.\.\.|…)$/.test(text)) return true;
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  // Lists, headings, code and short lines legitimately end without punctuation.
  if (/^\s*([-*•]|\d+[.)]|#|\||```)/.test(lastLine) || countWords(lastLine, 8) < 8) return false;
  return !/[.!?:;)"'\]}*`>]$/.test(text) && !/\p{Emoji_Presentation}$/u.test(text);
}
