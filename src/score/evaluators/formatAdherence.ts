// Format adherence: the response is valid JSON (optionally matching a JSON Schema subset) or matches a regex.
import { z } from 'zod';
import { defineEvaluator } from './Evaluator.js';
import { validateJsonSchema } from './jsonSchema.js';
import { GENAI, OI } from '../../conventions.js';
import { attributeToString } from '../../records/attributeToString.js';
import type { AttrMap } from '../../records/types.js';

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
    /**
     * Which spans format json judges. requested: only those whose request asked for JSON (see
     * `requestedJson`); always: every span the rubric's applies_to selects. Format regex always applies.
     */
    when: z.enum(['requested', 'always']).default('requested'),
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
    // A plain-text answer to a plain-text request is not a failed JSON answer: no result.
    if (p.format === 'json' && p.when === 'requested' && !requestedJson(record.span.attributes)) return null;
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

/**
 * Whether the request asked for a JSON answer: `response_format` of type `json_object` or `json_schema` in the
 * OpenInference invocation parameters (what OpenAI-compatible clients send), or a GenAI `gen_ai.output.type`
 * of `json`. Never the MIME type of the output: instrumentations set `output.mime_type` to
 * `application/json` for the raw API response, whatever the answer inside it is.
 */
export function requestedJson(attributes: Readonly<AttrMap>): boolean {
  if (attributeToString(attributes[GENAI.outputType] ?? '') === 'json') return true;
  const raw = attributes[OI.invocationParameters];
  if (typeof raw !== 'string' || !raw.includes('json')) return false;
  try {
    const params = JSON.parse(raw) as { response_format?: unknown };
    const format = params?.response_format;
    const type = typeof format === 'string' ? format : (format as { type?: unknown } | null)?.type;
    return type === 'json_object' || type === 'json_schema' || type === 'json';
  } catch {
    return false;
  }
}

function compile(pattern: string, flags: string): RegExp | undefined {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return undefined;
  }
}
