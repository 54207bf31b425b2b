// Length / verbosity: 1 inside a target range of words, characters or completion tokens, decaying outside.
import { z } from 'zod';
import { defineEvaluator } from './Evaluator.js';
import { textFeatures } from './TextFeatures.js';
import { unit } from './textBasics.js';

const params = z
  .object({
    unit: z.enum(['words', 'chars', 'tokens']).default('words'),
    min: z.number().min(0).default(1),
    max: z.number().positive().default(300),
  })
  .strict()
  .refine((p) => p.min <= p.max, { message: 'min must not exceed max', path: ['min'] })
  .prefault({});

export const length = defineEvaluator({
  name: 'length',
  description: 'response length against a target range: 1 inside, min/n or n/max-style decay outside',
  defaultDirection: 'higher_is_better',
  params,
  evaluate(record, p) {
    const n =
      p.unit === 'chars'
        ? record.response.length
        : p.unit === 'tokens' && record.tokensCompletion > 0
          ? record.tokensCompletion
          : textFeatures(record).responseWords.length;
    const what = p.unit === 'tokens' && record.tokensCompletion === 0 ? 'words (no token count)' : p.unit;
    if (n < p.min) {
      return {
        score: unit(p.min === 0 ? 0 : n / p.min),
        label: 'too_short',
        explanation: `${n} ${what} < ${p.min}`,
      };
    }
    if (n > p.max)
      return { score: unit(p.max / n), label: 'too_long', explanation: `${n} ${what} > ${p.max}` };
    return { score: 1, label: 'in_range', explanation: `${n} ${what} in [${p.min}, ${p.max}]` };
  },
});
