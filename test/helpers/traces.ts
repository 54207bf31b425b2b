// Hand-made traces for view/export tests: OpenInference LLM spans and feedback, inserted through the
// real normaliser and sink row mappers (what the pipeline does), into a fresh migrated chDB store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '../../src/names.js';
import { annotationKey, OI } from '../../src/conventions.js';
import type { AnnotatorKind, FeedbackOrigin } from '../../src/conventions.js';
import { extractFeedback } from '../../src/normalize/extractFeedback.js';
import { feedbackId } from '../../src/records/feedbackId.js';
import { normalizeSpan } from '../../src/normalize/normalizeSpan.js';
import type { ChatMessage, DecodedSpan, FeedbackRecord } from '../../src/records/types.js';
import { ChdbStore } from '../../src/sink/ChdbStore.js';
import { migrate } from '../../src/sink/migrate.js';
import {
  evaluationRow,
  evaluationRowFromFeedback,
  feedbackRow,
  isHumanFeedback,
  traceRow,
} from '../../src/sink/rows.js';
import type { Store } from '../../src/sink/Store.js';

/** A migrated embedded store in its own temp folder; `cleanup` closes it and removes the folder. */
export async function tempStore(
  prefix: string,
): Promise<{ store: Store; dir: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `prefloop-${prefix}-`));
  const store = new ChdbStore(dir, 'prefloop');
  await migrate(store);
  return {
    store,
    dir,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

let counter = 0;
/** A fresh lower-case hex id of `bytes` bytes (deterministic within a process). */
export function hexId(bytes: 8 | 16): string {
  counter += 1;
  return counter.toString(16).padStart(bytes * 2, '0');
}

/** Base time for hand-made spans: 2024-01-01T00:00:00Z in ns; `at(s)` is s seconds later. */
const BASE_NS = 1_704_067_200_000_000_000n;
export function at(seconds: number): bigint {
  return BASE_NS + BigInt(Math.round(seconds * 1000)) * 1_000_000n;
}

export interface LlmSpanSpec {
  prompt: ChatMessage[];
  response: string;
  traceId?: string;
  spanId?: string;
  sessionId?: string;
  /** Seconds after the base time. */
  time?: number;
  attributes?: Record<string, string | number>;
}

function baseSpan(traceId: string, spanId: string, time: number): DecodedSpan {
  return {
    traceId,
    spanId,
    parentSpanId: '',
    traceState: '',
    name: 'llm',
    kind: 1,
    startTimeUnixNano: at(time),
    endTimeUnixNano: at(time + 0.5),
    attributes: {},
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
    resource: { 'service.name': 'test-app' },
    scopeName: 'test',
    scopeVersion: '1',
  };
}

/** An OpenInference LLM span (input messages, one assistant output message). */
export function llmSpan(spec: LlmSpanSpec): DecodedSpan {
  const span = baseSpan(spec.traceId ?? hexId(16), spec.spanId ?? hexId(8), spec.time ?? 0);
  const a = span.attributes;
  a[OI.spanKind] = 'LLM';
  spec.prompt.forEach((m, i) => {
    a[`${OI.inputMessages}.${i}.${OI.messageRole}`] = m.role;
    a[`${OI.inputMessages}.${i}.${OI.messageContent}`] = m.content;
  });
  a[`${OI.outputMessages}.0.${OI.messageRole}`] = 'assistant';
  a[`${OI.outputMessages}.0.${OI.messageContent}`] = spec.response;
  if (spec.sessionId) a[OI.sessionId] = spec.sessionId;
  Object.assign(a, spec.attributes ?? {});
  return span;
}

export interface ThumbSpec {
  /** true = up (score 1), false = down (score 0); or a label. */
  up?: boolean;
  label?: string;
  annotatorId?: string;
}

/** Adds a thumbs annotation on the span itself (feedback route 1). */
export function annotate(span: DecodedSpan, thumb: ThumbSpec, index = 0): DecodedSpan {
  const a = span.attributes;
  a[annotationKey('annotations', index, 'name')] = 'user_feedback';
  if (thumb.label !== undefined) a[annotationKey('annotations', index, 'label')] = thumb.label;
  else a[annotationKey('annotations', index, 'score')] = thumb.up ? 1 : 0;
  a[annotationKey('annotations', index, 'annotator_kind')] = 'HUMAN';
  if (thumb.annotatorId) a[annotationKey('annotations', index, 'identifier')] = thumb.annotatorId;
  return span;
}

/** A late feedback span linked to the span(s) it judges (feedback route 2). */
export function linkedFeedbackSpan(targets: DecodedSpan[], thumb: ThumbSpec, time = 100): DecodedSpan {
  const span = baseSpan(hexId(16), hexId(8), time);
  span.name = 'feedback';
  span.links = targets.map((t) => ({ traceId: t.traceId, spanId: t.spanId, traceState: '', attributes: {} }));
  return annotate(span, thumb);
}

export interface ApiFeedbackSpec extends ThumbSpec {
  traceId?: string;
  spanId?: string;
  sessionId?: string;
  time?: number;
  score?: number;
  annotatorKind?: AnnotatorKind;
  name?: string;
}

/** A record as POST /v1/feedback would make it (feedback route 3). */
export function apiFeedback(spec: ApiFeedbackSpec): FeedbackRecord {
  const score = spec.score ?? (spec.label !== undefined ? null : spec.up ? 1 : 0);
  const base = {
    traceId: spec.traceId ?? '',
    spanId: spec.spanId ?? '',
    sessionId: spec.sessionId ?? '',
    name: spec.name ?? 'user_feedback',
    annotatorKind: spec.annotatorKind ?? 'HUMAN',
    annotatorId: spec.annotatorId ?? '',
    label: spec.label ?? '',
    score,
    explanation: '',
    origin: 'api' as FeedbackOrigin,
    identifier: '',
  };
  return {
    ...base,
    feedbackId: feedbackId({ ...base, time: String(spec.time ?? '') }),
    timeUnixNano: at(spec.time ?? 200),
    metadata: '{}',
  };
}

/** Inserts spans the way the sink does: normalised span rows plus the feedback they carry. */
export async function insertSpans(store: Store, spans: DecodedSpan[]): Promise<void> {
  const rows = spans.map((s) => traceRow(normalizeSpan(s)));
  await store.insert(TABLES.traces, rows);
  await insertFeedback(
    store,
    spans.flatMap((s) => extractFeedback(s)),
  );
}

/** Inserts feedback records: HUMAN ones as feedback, CODE/LLM ones as evaluations. */
export async function insertFeedback(store: Store, records: FeedbackRecord[]): Promise<void> {
  const human = records.filter(isHumanFeedback);
  const other = records.filter((r) => !isHumanFeedback(r));
  if (human.length > 0) await store.insert(TABLES.feedback, human.map(feedbackRow));
  if (other.length > 0) await store.insert(TABLES.evaluations, other.map(evaluationRowFromFeedback));
}

/** Inserts prefloop rubric results for spans. */
export async function insertScores(
  store: Store,
  scores: Array<{
    span: DecodedSpan;
    rubricId: string;
    rubricVersion?: string;
    score: number;
    time?: number;
  }>,
): Promise<void> {
  await store.insert(
    TABLES.evaluations,
    scores.map((s) =>
      evaluationRow({
        traceId: s.span.traceId,
        spanId: s.span.spanId,
        timeUnixNano: at(s.time ?? 50),
        rubricId: s.rubricId,
        rubricVersion: s.rubricVersion ?? '1',
        score: s.score,
        label: '',
        explanation: '',
        annotatorKind: 'CODE',
        metadata: '{}',
      }),
    ),
  );
}

/** A one-message user prompt. */
export function ask(content: string): ChatMessage[] {
  return [{ role: 'user', content }];
}

/** The prompt hash the normaliser gives a span. */
export function hashOf(span: DecodedSpan): string {
  return normalizeSpan(span).promptHash;
}

export interface PairRow {
  pair_id: string;
  source: string;
  sources: string[];
  chosen: string;
  rejected: string;
  chosen_span_id: string;
  rejected_span_id: string;
  margin: number;
  agreement: number | null;
  metadata: string;
  rubric_versions: string[];
}

/** preference_pairs rows of one prompt (by its hash), ordered by chosen text. */
export function pairsOf(store: Store, span: DecodedSpan): Promise<PairRow[]> {
  return store.query<PairRow>(
    'SELECT * FROM preference_pairs WHERE prompt_hash = {h:String} ORDER BY chosen, rejected',
    { h: hashOf(span) },
  );
}
