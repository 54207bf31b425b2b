// The `judge:` block of an llm_judge rubric: endpoint, grading criteria and the limits that keep it cheap.
import { z } from 'zod';

export const judgeSchema = z
  .object({
    /** OpenAI-compatible base URL, up to and including /v1 (…/chat/completions is appended). */
    base_url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
    model: z.string().min(1),
    /** Name of the environment variable holding the API key; omit for local servers without auth. */
    api_key_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')
      .optional(),
    /** What the judge grades: plain language, shown to the judge model verbatim. */
    criteria: z.string().min(1),
    /** The score range the judge is asked for; mapped onto [0, 1]. */
    scale: z
      .object({ min: z.number().default(1), max: z.number().default(10) })
      .strict()
      .refine((s) => s.max > s.min, { message: 'max must exceed min', path: ['max'] })
      .prefault({}),
    /** Share of applicable spans sent to the judge (0..1), decided per span id so retries agree. */
    sample_rate: z.number().min(0).max(1).default(1),
    /** How long a span may wait for its judge before it is sunk without that score (the score comes later). */
    max_wait_ms: z.number().int().min(0).default(2000),
    /** Per-request timeout. */
    timeout_ms: z.number().int().positive().default(15000),
    /** Retries on 429, 5xx, timeouts and network errors (never on other 4xx). */
    max_retries: z.number().int().min(0).max(10).default(3),
    /** First retry delay; doubles each retry, with jitter; a Retry-After header wins when longer. */
    backoff_ms: z.number().int().min(0).default(500),
    /** Requests in flight at once for this rubric. */
    concurrency: z.number().int().positive().default(4),
    temperature: z.number().min(0).max(2).default(0),
    max_tokens: z.number().int().positive().default(400),
    /** Entries kept in the verdict cache (keyed by rubric version + input); 0 disables it. */
    cache_size: z.number().int().min(0).default(10000),
  })
  .strict();

export type JudgeSettings = z.infer<typeof judgeSchema>;
