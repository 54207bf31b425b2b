// Format adherence: the response is valid JSON (optionally matching a JSON Schema subset) or matches a regex.
import { z } from 'zod';
import { defineEvaluator } from './Evaluator.js';
import { validateJsonSchema } from './jsonSchema.js';

const params = z
  .object({
    /** json: the response parses as JSON (and fits `schema` when given); regex: it matches `pattern`. */
    format: z.enum(['json', 'regex']).default('json'),
    /** JSON Schema subset: type, properties, required, additionalProperties, items, enum, const, min/max*, pattern. */
    schema: z.record(z.string(), z.unknown()).optional(),
    /** For format regex; tested against the whole trimmed response unless it has its own anchors. */
    pattern: z.string().optional(),
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'expected regex flags among i, m, s, u')
      .default(''),
    /** Accept JSON wrapped in a ```json fence (chat models often add one). */
    allow_fenced: z.boolean().default(true),
  })
  .strict()
  .refine((p) => p.format !== 'regex' || p.pattern !== undefined, {
    message: 'format regex needs a pattern',
    path: ['pattern'],
  })
  // Checked with its flags (`a\-b` compiles alone but not with `u`), and compiled once here, at load time,
  // rather than on every span.
  .refine((p) => p.pattern === undefined || compile(p.pattern, p.flags) !== undefined, {
    message: 'expected a valid JavaScript regular expression (with these flags)',
    path: ['pattern'],
  })
  .transform((p) => ({ ...p, regex: p.pattern === undefined ? undefined : compile(p.pattern, p.flags) }))
  .prefault({});

export const formatAdherence = defineEvaluator({
  name: 'format_adherence',
  description:
    'response is valid JSON (and fits a schema) or matches a regex: 1 fits, 0.5 JSON off-schema, 0 not',
  defaultDirection: 'higher_is_better',
  params,
  evaluate(record, p) {
    const text = record.response.trim();
    if (p.format === 'regex') {
      const ok = p.regex!.test(text);
      return {
        score: ok ? 1 : 0,
        label: ok ? 'valid' : 'invalid',
        explanation: ok ? 'matches the pattern' : 'does not match the pattern',
      };
    }
    const fenced = p.allow_fenced ? /^```(?:json)?\s*\n([\s\S]*?)\n?```$/.exec(text) : null;
    let value: unknown;
    try {
      value = JSON.parse(fenced ? fenced[1]! : text);
    } catch (err) {
      return { score: 0, label: 'invalid', explanation: `not JSON: ${(err as Error).message}` };
    }
    if (!p.schema) return { score: 1, label: 'valid', explanation: 'valid JSON' };
    const errors = validateJsonSchema(value, p.schema);
    if (errors.length === 0)
      return { score: 1, label: 'valid', explanation: 'valid JSON matching the schema' };
    return {
      score: 0.5,
      label: 'schema_mismatch',
      explanation: `JSON does not fit the schema: ${errors.slice(0, 3).join('; ')}${errors.length > 3 ? ` (+${errors.length - 3} more)` : ''}`,
    };
  },
});

function compile(pattern: string, flags: string): RegExp | undefined {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return undefined;
  }
}
