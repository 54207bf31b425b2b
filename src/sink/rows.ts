// Pure mappers from prefloop records to table rows (otel_traces in the contrib exporter layout, feedback, evaluations).
import { attributeToString, flattenAttributes } from '../records/attributeToString.js';
import type { EvaluationRecord, FeedbackRecord, SpanRecord } from '../records/types.js';
import { forEachAddedAttribute } from '../records/evaluationAttributes.js';
import { toJson } from './jsonString.js';

/** `evaluations.Origin` of rubric results prefloop computed itself (upstream results keep their FeedbackOrigin). */
export const PREFLOOP_ORIGIN = 'prefloop';

/** pdata SpanKind names, indexed by the OTLP enum value (what the contrib clickhouseexporter writes). */
const SPAN_KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'] as const;
/** pdata StatusCode names, indexed by the OTLP enum value. */
const STATUS_CODES = ['Unset', 'Ok', 'Error'] as const;

/**
 * The columns each row builder fills, in the order of its object's keys: a JSONCompactEachRow body lists
 * values in this order (test/unit/sink/rows.test.ts holds the two together).
 */
export const TRACE_COLUMNS = [
  'Timestamp',
  'TraceId',
  'SpanId',
  'ParentSpanId',
  'TraceState',
  'SpanName',
  'SpanKind',
  'ServiceName',
  'ResourceAttributes',
  'ScopeName',
  'ScopeVersion',
  'SpanAttributes',
  'Duration',
  'StatusCode',
  'StatusMessage',
  'Events.Timestamp',
  'Events.Name',
  'Events.Attributes',
  'Links.TraceId',
  'Links.SpanId',
  'Links.TraceState',
  'Links.Attributes',
  'LlmKind',
  'IsLlm',
  'SessionId',
  'UserId',
  'ModelName',
  'PromptMessages',
  'Response',
  'RetrievalDocuments',
  'PromptHash',
  'PromptClass',
  'TokensPrompt',
  'TokensCompletion',
] as const satisfies readonly (keyof TraceRow)[];

export const FEEDBACK_COLUMNS = [
  'Timestamp',
  'FeedbackId',
  'TraceId',
  'SpanId',
  'SessionId',
  'Name',
  'Score',
  'Label',
  'Explanation',
  'AnnotatorKind',
  'AnnotatorId',
  'Identifier',
  'Origin',
  'Metadata',
] as const satisfies readonly (keyof FeedbackRow)[];

export const EVALUATION_COLUMNS = [
  'Timestamp',
  'TraceId',
  'SpanId',
  'SessionId',
  'EvaluationId',
  'Name',
  'Score',
  'Label',
  'Explanation',
  'AnnotatorKind',
  'AnnotatorId',
  'Identifier',
  'RubricVersion',
  'Origin',
  'Metadata',
] as const satisfies readonly (keyof EvaluationRow)[];

/** One `otel_traces` row; 64-bit values (Timestamp, Duration) as decimal strings so they stay exact. */
export interface TraceRow {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ResourceAttributes: Record<string, string>;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: Record<string, string>;
  Duration: string;
  StatusCode: string;
  StatusMessage: string;
  'Events.Timestamp': string[];
  'Events.Name': string[];
  'Events.Attributes': Record<string, string>[];
  'Links.TraceId': string[];
  'Links.SpanId': string[];
  'Links.TraceState': string[];
  'Links.Attributes': Record<string, string>[];
  LlmKind: string;
  IsLlm: number;
  SessionId: string;
  UserId: string;
  ModelName: string;
  PromptMessages: string;
  Response: string;
  RetrievalDocuments: string;
  PromptHash: string;
  PromptClass: string;
  TokensPrompt: number;
  TokensCompletion: number;
}

export interface FeedbackRow {
  Timestamp: string;
  FeedbackId: string;
  TraceId: string;
  SpanId: string;
  SessionId: string;
  Name: string;
  Score: number | null;
  Label: string;
  Explanation: string;
  AnnotatorKind: string;
  AnnotatorId: string;
  Identifier: string;
  Origin: string;
  Metadata: string;
}

export interface EvaluationRow {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  SessionId: string;
  EvaluationId: string;
  Name: string;
  Score: number | null;
  Label: string;
  Explanation: string;
  AnnotatorKind: string;
  AnnotatorId: string;
  Identifier: string;
  RubricVersion: string;
  Origin: string;
  Metadata: string;
}

/** The `otel_traces` row of a normalised span. */
export function traceRow(r: SpanRecord): TraceRow {
  const s = r.span;
  const duration = s.endTimeUnixNano > s.startTimeUnixNano ? s.endTimeUnixNano - s.startTimeUnixNano : 0n;
  return {
    Timestamp: dateTime64Text(s.startTimeUnixNano),
    TraceId: s.traceId,
    SpanId: s.spanId,
    ParentSpanId: s.parentSpanId,
    TraceState: s.traceState,
    SpanName: s.name,
    SpanKind: spanKindName(s.kind),
    ServiceName: r.serviceName,
    ResourceAttributes: flattenAttributes(s.resource),
    ScopeName: s.scopeName,
    ScopeVersion: s.scopeVersion,
    SpanAttributes: spanAttributes(r),
    Duration: duration.toString(),
    StatusCode: statusCodeName(s.statusCode),
    StatusMessage: s.statusMessage,
    'Events.Timestamp': s.events.map((e) => dateTime64Text(e.timeUnixNano)),
    'Events.Name': s.events.map((e) => e.name),
    'Events.Attributes': s.events.map((e) => flattenAttributes(e.attributes)),
    'Links.TraceId': s.links.map((l) => l.traceId),
    'Links.SpanId': s.links.map((l) => l.spanId),
    'Links.TraceState': s.links.map((l) => l.traceState),
    'Links.Attributes': s.links.map((l) => flattenAttributes(l.attributes)),
    LlmKind: r.llmKind,
    IsLlm: r.isLlm ? 1 : 0,
    SessionId: r.sessionId,
    UserId: r.userId,
    ModelName: r.model,
    // JSON text ClickHouse's JSON functions read: no lone-surrogate escapes (see wellFormedJson).
    PromptMessages: toJson(r.prompt.map((m) => ({ role: m.role, content: m.content }))),
    Response: r.response,
    RetrievalDocuments: toJson(r.documents),
    PromptHash: r.promptHash,
    PromptClass: r.promptClass,
    TokensPrompt: clampUInt32(r.tokensPrompt),
    TokensCompletion: clampUInt32(r.tokensCompletion),
  };
}

/** pdata name of an OTLP SpanKind value (plain ASCII). */
export function spanKindName(kind: number): string {
  return SPAN_KINDS[kind] ?? SPAN_KINDS[0];
}

/** pdata name of an OTLP StatusCode value (plain ASCII). */
export function statusCodeName(code: number): string {
  return STATUS_CODES[code] ?? STATUS_CODES[0];
}

/** The span's own attributes as strings, then those prefloop added (its rubric results). */
export function spanAttributes(r: SpanRecord): Record<string, string> {
  const out = flattenAttributes(r.span.attributes);
  forEachAddedAttribute(r, (key, value) => (out[key] = attributeToString(value)));
  return out;
}

/** The `feedback` row of a HUMAN judgement. */
export function feedbackRow(f: FeedbackRecord): FeedbackRow {
  return {
    Timestamp: dateTime64Text(f.timeUnixNano),
    FeedbackId: f.feedbackId,
    TraceId: f.traceId,
    SpanId: f.spanId,
    SessionId: f.sessionId,
    Name: f.name,
    Score: finiteOrNull(f.score),
    Label: f.label,
    Explanation: f.explanation,
    AnnotatorKind: f.annotatorKind,
    AnnotatorId: f.annotatorId,
    Identifier: f.identifier,
    Origin: f.origin,
    Metadata: f.metadata,
  };
}

/** The `evaluations` row of an upstream CODE/LLM result (kept as an evaluation, not feedback). */
export function evaluationRowFromFeedback(f: FeedbackRecord): EvaluationRow {
  return {
    Timestamp: dateTime64Text(f.timeUnixNano),
    TraceId: f.traceId,
    SpanId: f.spanId,
    SessionId: f.sessionId,
    EvaluationId: f.feedbackId,
    Name: f.name,
    Score: finiteOrNull(f.score),
    Label: f.label,
    Explanation: f.explanation,
    AnnotatorKind: f.annotatorKind,
    AnnotatorId: f.annotatorId,
    Identifier: f.identifier,
    RubricVersion: '',
    Origin: f.origin,
    Metadata: f.metadata,
  };
}

/** The `evaluations` row of one prefloop rubric result. */
export function evaluationRow(e: EvaluationRecord): EvaluationRow {
  const identifier = `${e.rubricId}@${e.rubricVersion}`;
  return {
    Timestamp: dateTime64Text(e.timeUnixNano),
    TraceId: e.traceId,
    SpanId: e.spanId,
    SessionId: '',
    EvaluationId: `${e.traceId}:${e.spanId}:${identifier}`,
    Name: e.rubricId,
    Score: finiteOrNull(e.score),
    Label: e.label,
    Explanation: e.explanation,
    AnnotatorKind: e.annotatorKind,
    AnnotatorId: '',
    Identifier: identifier,
    RubricVersion: e.rubricVersion,
    Origin: PREFLOOP_ORIGIN,
    Metadata: e.metadata,
  };
}

/** True for feedback that belongs in the `feedback` table (HUMAN); CODE/LLM results go to `evaluations`. */
export function isHumanFeedback(f: FeedbackRecord): boolean {
  return f.annotatorKind === 'HUMAN';
}

/** The latest instant a DateTime64(9) holds: 2262-04-11 23:47:16.854775807 UTC (int64 nanoseconds). */
const DATETIME64_MAX_NANOS = 2n ** 63n - 1n;

/**
 * A DateTime64(9) value as ClickHouse reads it exactly from text: nanoseconds since the epoch, 19 digits.
 * Why padded: ClickHouse reads a short all-digit string as seconds (or a day of the month: "5"), and "0"
 * (OTLP's unset time) not at all, which failed the whole batch. uint64 times past 2262 are clamped.
 */
export function dateTime64Text(nanos: bigint): string {
  return (nanos > DATETIME64_MAX_NANOS ? DATETIME64_MAX_NANOS : nanos).toString().padStart(19, '0');
}

function finiteOrNull(n: number | null): number | null {
  return n !== null && Number.isFinite(n) ? n : null;
}

/** A token count as a UInt32 column takes it: an integer in [0, 2^32-1]. */
export function clampUInt32(n: number): number {
  if (!Number.isFinite(n) || n < 0) return 0;
  return Math.min(Math.trunc(n), 0xffffffff);
}
