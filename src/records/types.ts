// The typed records that flow through prefloop: decoded OTLP spans, normalised LLM spans, feedback.
import type { AnnotatorKind, FeedbackOrigin } from '../conventions.js';

/** An OTLP attribute value after decoding (int64 kept exact as bigint). */
export type AttrValue = string | number | boolean | bigint | Uint8Array | AttrValue[] | AttrMap | null;
export interface AttrMap {
  [key: string]: AttrValue;
}

export interface DecodedEvent {
  /** Unix time in nanoseconds. */
  timeUnixNano: bigint;
  name: string;
  attributes: AttrMap;
}

export interface DecodedLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: AttrMap;
}

/** One span exactly as OTLP carried it (protobuf or JSON), ids as lower-case hex. */
export interface DecodedSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  /** OTLP SpanKind enum value (0 unspecified … 5 consumer). */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: AttrMap;
  events: DecodedEvent[];
  links: DecodedLink[];
  /** OTLP StatusCode enum value (0 unset, 1 ok, 2 error). */
  statusCode: number;
  statusMessage: string;
  resource: AttrMap;
  scopeName: string;
  scopeVersion: string;
}

/** One chat message of a prompt, in order. */
export interface ChatMessage {
  role: string;
  content: string;
}

export interface RetrievedDocument {
  content: string;
  score?: number;
  id?: string;
}

/** A span with its LLM meaning pulled out of OpenInference / GenAI attributes. */
export interface SpanRecord {
  span: DecodedSpan;
  serviceName: string;
  /** `openinference.span.kind`, or LLM when GenAI attributes say so; '' when neither. */
  llmKind: string;
  /** Only LLM spans with a prompt and a response become pair candidates. */
  isLlm: boolean;
  prompt: ChatMessage[];
  response: string;
  documents: RetrievedDocument[];
  sessionId: string;
  userId: string;
  model: string;
  tokensPrompt: number;
  tokensCompletion: number;
  /** Hash of the normalised prompt messages: a prompt's identity. */
  promptHash: string;
  /** The configured prompt-class attribute's value, else the prompt hash. */
  promptClass: string;
  /**
   * Texts of this record known to hold no character JSON escapes (quote, backslash, control character,
   * surrogate): the prompt contents the prompt hash's writer read so. JSON writers skip testing them again.
   * Matched by value, so a text replaced after normalising is simply not found; absent: none known.
   */
  verbatimTexts?: readonly string[];
  /**
   * Rubric results prefloop writes onto the span as `evaluations.{i}.evaluation.*` attributes, numbered past
   * every index the span has, which every writer (the ClickHouse row, the forwarded OTLP span) puts after the
   * span's own (src/score/evaluationAttributes.ts spells them out). Kept as results, not as attributes: an
   * object grown by ~50 keys turns into a hash table in V8 (~220 ns a key), and even key/value pairs cost a
   * scored span ~7 µs of allocation; writers visit the attributes without building them.
   */
  addedEvaluations?: AddedEvaluations[];
}

/** Results one rubric file wrote onto a span, as evaluations `start`, `start + 1`, …. */
export interface AddedEvaluations {
  start: number;
  results: readonly EvaluationRecord[];
  /** The rubric file's hash, which each result's `.metadata` names. */
  setHash: string;
}

/** A human judgement (feedback) or an upstream/prefloop evaluation result about a span, trace or session. */
export interface FeedbackRecord {
  /** Deterministic id: the same judgement delivered twice has the same id. */
  feedbackId: string;
  timeUnixNano: bigint;
  traceId: string;
  /** '' when the feedback names a trace only (applies to its last LLM span) or a session only. */
  spanId: string;
  sessionId: string;
  name: string;
  score: number | null;
  label: string;
  explanation: string;
  annotatorKind: AnnotatorKind;
  annotatorId: string;
  identifier: string;
  origin: FeedbackOrigin;
  /** JSON text. */
  metadata: string;
}

/** One rubric result for one span, as prefloop writes it (evaluation attributes and `evaluations` row). */
export interface EvaluationRecord {
  traceId: string;
  spanId: string;
  timeUnixNano: bigint;
  rubricId: string;
  rubricVersion: string;
  score: number;
  label: string;
  explanation: string;
  annotatorKind: 'CODE' | 'LLM';
  /** JSON text (rubric file hash, evaluator details). */
  metadata: string;
}
