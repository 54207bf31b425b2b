// POST /v1/feedback body → FeedbackRecord[]: one zod schema, every problem listed with its index/path.
import { z } from 'zod';
import { DEFAULTS } from '../names.js';
import { ANNOTATOR_KINDS } from '../conventions.js';
import type { AnnotatorKind } from '../conventions.js';
import { feedbackId } from '../records/feedbackId.js';
import type { FeedbackRecord } from '../records/types.js';
import { isValidSpanId, isValidTraceId } from '../records/ids.js';

const item = z.object({
  trace_id: z
    .string()
    .transform((s) => s.toLowerCase())
    .refine(isValidTraceId, 'must be 32 hex digits, not all zero')
    .optional(),
  span_id: z
    .string()
    .transform((s) => s.toLowerCase())
    .refine(isValidSpanId, 'must be 16 hex digits, not all zero')
    .optional(),
  session_id: z.string().min(1, 'must not be empty').optional(),
  name: z.string().min(1, 'must not be empty').optional(),
  score: z.number().finite().nullable().optional(),
  label: z.string().optional(),
  explanation: z.string().optional(),
  annotator_kind: z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .refine(
      (s) => (ANNOTATOR_KINDS as readonly string[]).includes(s),
      `must be one of ${ANNOTATOR_KINDS.join(', ')}`,
    )
    .optional(),
  annotator_id: z.string().optional(),
  timestamp: z
    .union([z.string(), z.number()])
    .refine(
      (t) => parseTime(t) !== null,
      'must be an ISO 8601 date, Unix milliseconds, or Unix nanoseconds as a digit string, from 1970 to ' +
        '2262-04-11T23:47:16Z (what DateTime64(9) holds)',
    )
    .optional(),
});

/** The keys an item may carry (DESIGN.md): any other is a client's typo, named rather than dropped. */
const KEYS = Object.keys(item.shape);

export type ParsedFeedback = { ok: true; records: FeedbackRecord[] } | { ok: false; problems: string[] };

/** Validates a parsed JSON body; all or nothing. `nowNanos` stamps items that carry no timestamp. */
export function parseFeedback(json: unknown, nowNanos: bigint): ParsedFeedback {
  const isArray = Array.isArray(json);
  const raw: unknown[] = isArray ? (json as unknown[]) : [json];
  if (raw.length === 0) return { ok: false, problems: ['body: must hold at least one feedback item'] };
  const problems: string[] = [];
  const items: Array<z.infer<typeof item>> = [];
  raw.forEach((value, index) => {
    const where = isArray ? `body[${index}]` : 'body';
    const parsed = item.safeParse(value);
    if (parsed.success) items.push(parsed.data);
    else
      for (const issue of parsed.error.issues) {
        const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
        problems.push(`${where}${path}: ${issue.message}`);
      }
    // Checked on the raw value so they are reported together with any field problem.
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      for (const key of Object.keys(v))
        if (!KEYS.includes(key)) problems.push(`${where}${keyPath(key)}: ${unknownKey(key)}`);
      if (v.trace_id === undefined && v.session_id === undefined)
        problems.push(`${where}: needs a trace_id or a session_id`);
      if (v.span_id !== undefined && v.trace_id === undefined)
        problems.push(`${where}.span_id: needs its trace_id`);
    }
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, records: items.map((i) => toRecord(i, nowNanos)) };
}

function keyPath(key: string): string {
  return /^[A-Za-z_]\w*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Names the accepted key the unknown one most likely meant (a typo: at most two edits), else lists them all. */
function unknownKey(key: string): string {
  const near = KEYS.map((k) => ({ k, d: editDistance(key.toLowerCase(), k) })).sort((a, b) => a.d - b.d)[0]!;
  return near.d <= 2
    ? `unknown key; did you mean ${near.k}?`
    : `unknown key; the keys are ${KEYS.join(', ')}`;
}

/** Levenshtein distance (keys are short: the full table is cheap). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

function toRecord(i: z.infer<typeof item>, nowNanos: bigint): FeedbackRecord {
  const base = {
    traceId: i.trace_id ?? '',
    spanId: i.span_id ?? '',
    sessionId: i.session_id ?? '',
    name: i.name ?? DEFAULTS.feedbackName,
    score: i.score ?? null,
    label: i.label ?? '',
    explanation: i.explanation ?? '',
    annotatorKind: (i.annotator_kind ?? 'HUMAN') as AnnotatorKind,
    annotatorId: i.annotator_id ?? '',
    identifier: '',
    origin: 'api' as const,
  };
  const time = i.timestamp === undefined ? null : parseTime(i.timestamp);
  return {
    ...base,
    // Without a timestamp the id leaves time out, so a retried POST is still recognised.
    feedbackId: feedbackId({ ...base, time: time === null ? '' : time.toString() }),
    timeUnixNano: time ?? nowNanos,
    metadata: '{}',
  };
}

/** The last instant DateTime64(9) holds, in nanoseconds (2262-04-11T23:47:16.854775807Z). */
const MAX_NANOS = 2n ** 63n - 1n;
const MAX_MILLIS = Number(MAX_NANOS / 1_000_000n);

/**
 * ISO 8601 text, Unix milliseconds (number), or Unix nanoseconds (digit string) → nanoseconds; null outside
 * [1970, 2262]. Why refuse rather than clamp as spans' times are: a feedback time past 2262 is a client's
 * mistake (nanoseconds sent as a number read as milliseconds), and 1e308 once threw converting to BigInt.
 */
function parseTime(t: string | number): bigint | null {
  if (typeof t === 'number') {
    if (!(t >= 0 && t <= MAX_MILLIS)) return null;
    // Whole milliseconds and the fraction apart: t * 1e6 as one double would lose the last ~8 bits.
    const whole = Math.trunc(t);
    return BigInt(whole) * 1_000_000n + BigInt(Math.round((t - whole) * 1e6));
  }
  const ns = /^\d+$/.test(t) ? BigInt(t) : isoNanos(t);
  return ns !== null && ns >= 0n && ns <= MAX_NANOS ? ns : null;
}

function isoNanos(t: string): bigint | null {
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : BigInt(ms) * 1_000_000n;
}
