// The masking processor's config (snake_case, as in prefloop.yaml), validated once with every problem listed.
import { z } from 'zod';

/** What OpenInference writes in place of a hidden value. */
export const REDACTED = '__REDACTED__';

/** Named regex sets users can switch on without writing a pattern. */
export const BUILTIN_PATTERN_NAMES = ['emails', 'cards', 'api_keys', 'jwts', 'ipv4', 'us_ssn'] as const;
export type BuiltinPatternName = (typeof BUILTIN_PATTERN_NAMES)[number];

const patternSchema = z
  .strictObject({
    /** Shown in redaction counts; also names the pattern in errors. */
    name: z.string().min(1),
    /** A JavaScript regular expression (no slashes); every match is replaced. */
    regex: z.string().min(1),
    /** Regex flags besides `g` (always on), e.g. `i`. */
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'flags may only contain i, m, s, u')
      .default(''),
    /** Text written in place of each match; defaults to the config's `replacement`. */
    replacement: z.string().optional(),
  })
  .superRefine((p, ctx) => {
    try {
      new RegExp(p.regex, p.flags + 'g');
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        path: ['regex'],
        message: `not a valid regex: ${(err as Error).message}`,
      });
    }
  });

export const maskingConfigSchema = z.strictObject({
  /** Replace `input.value`, GenAI prompts and prompt-template variables; drop input messages. */
  hide_inputs: z.boolean().default(false),
  /** Replace `output.value` and GenAI completions; drop output messages. */
  hide_outputs: z.boolean().default(false),
  /** Drop `llm.input_messages.*` (and `gen_ai.input.messages`). */
  hide_input_messages: z.boolean().default(false),
  /** Drop `llm.output_messages.*` (and `gen_ai.output.messages`). */
  hide_output_messages: z.boolean().default(false),
  /** Replace the text of input messages (`…message.content`, text parts), keeping their roles and order. */
  hide_input_text: z.boolean().default(false),
  /** Replace the text of output messages, keeping their roles and order. */
  hide_output_text: z.boolean().default(false),
  /** Drop image parts of input messages (`…message_content.image.*`). */
  hide_input_images: z.boolean().default(false),
  /** Drop `llm.prompts.*` (completions-API inputs); hide_inputs does too. */
  hide_prompts: z.boolean().default(false),
  /** Drop `llm.choices.*` (completions-API outputs); hide_outputs does too. */
  hide_choices: z.boolean().default(false),
  /** Replace `llm.invocation_parameters` (model settings, which can embed a system prompt). */
  hide_llm_invocation_parameters: z.boolean().default(false),
  /** Drop `embedding.embeddings.*.embedding.vector` (large and invertible to text). */
  hide_embedding_vectors: z.boolean().default(false),
  /** Replace `embedding.embeddings.*.embedding.text`. */
  hide_embeddings_text: z.boolean().default(false),
  /** Built-in pattern sets applied to every string value and integer (span, event, link and resource attributes). */
  builtin_patterns: z.array(z.enum(BUILTIN_PATTERN_NAMES)).default([]),
  /** Your own match-and-redact patterns, applied after the built-ins. */
  patterns: z.array(patternSchema).default([]),
  /** Text written in place of a hidden value or a match, unless a pattern names its own. */
  replacement: z.string().default(REDACTED),
});

export type MaskingConfig = Readonly<z.output<typeof maskingConfigSchema>>;

/** A masking config that does not validate: every problem, each with its path. */
export class MaskingConfigError extends Error {
  constructor(
    readonly problems: string[],
    where: string,
  ) {
    super(`invalid masking config at ${where}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'MaskingConfigError';
  }
}

/** Parses a masking config (e.g. the `processors.masking` entry of prefloop.yaml); `where` prefixes paths. */
export function parseMaskingConfig(raw: unknown, where = 'processors.masking'): MaskingConfig {
  const result = maskingConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new MaskingConfigError(
      result.error.issues.map((i) => `${[where, ...i.path.map(String)].join('.')}: ${i.message}`),
      where,
    );
  }
  return Object.freeze(result.data);
}
