// The in-span feedback routes: annotation/evaluation attributes, GenAI evaluation events, span links.
import { DEFAULTS } from '../names.js';
import { ANNOTATOR_KINDS, GENAI, OI } from '../conventions.js';
import type { AnnotatorKind, FeedbackOrigin } from '../conventions.js';
import { isValidSpanId, isValidTraceId } from '../records/ids.js';
import { attributeToString } from '../records/attributeToString.js';
import { hasRubricFileHash } from '../records/evaluationAttributes.js';
import { feedbackId } from '../records/feedbackId.js';
import { numberOf, text } from './indexedAttributes.js';
import type { IndexedEntries } from './indexedAttributes.js';
import { IndexedKeyReader } from './IndexedKeyReader.js';
import type { AttrValue, DecodedSpan, FeedbackRecord } from '../records/types.js';

const KINDS: ReadonlySet<string> = new Set(ANNOTATOR_KINDS);

interface Target {
  traceId: string;
  spanId: string;
}

/**
 * Every judgement a span carries:
 * - `annotations.{i}.annotation.*` (default kind HUMAN) and `evaluations.{i}.evaluation.*` (default
 *   kind LLM) about the span itself (origin span_attribute), or, when the span has links, about each
 *   linked span instead (origin span_link: late feedback through the pipeline);
 * - `gen_ai.evaluation.result` events about the span (origin span_event; kind HUMAN when named like
 *   user feedback, else LLM).
 * HUMAN results are feedback; CODE/LLM ones keep their kind and the sink files them as evaluations.
 * Evaluation attributes a prefloop wrote (their metadata names the rubric file hash: this one's own, an
 * upstream prefloop's, RubricSpanProcessor's in the app) are left out: they stay on the span, and
 * ClickHouse copies them into `evaluations` when the span row is stored (migration 0005).
 */
export function extractFeedback(span: DecodedSpan): FeedbackRecord[] {
  const [annotations, evaluations] = FEEDBACK_ATTRIBUTES.entriesOf(span.attributes) as [
    IndexedEntries,
    IndexedEntries,
  ];
  let out: FeedbackRecord[] | undefined;
  if (annotations.length > 0 || evaluations.length > 0) {
    // A link with a malformed id would read as session-wide feedback (empty trace and span): skip it.
    const links = span.links.filter((l) => isValidTraceId(l.traceId) && isValidSpanId(l.spanId));
    const targets: Target[] = span.links.length > 0 ? links : [span];
    const origin: FeedbackOrigin = span.links.length > 0 ? 'span_link' : 'span_attribute';
    const entries = [
      ...readEntries(annotations, ANNOTATION_FIELDS_OF, 'HUMAN'),
      ...readEntries(evaluations, EVALUATION_FIELDS_OF, 'LLM').filter((e) => !hasRubricFileHash(e.metadata)),
    ];
    out = [];
    for (const target of targets)
      for (const e of entries) out.push(record(span, target, e, origin, span.endTimeUnixNano));
  }
  for (const event of span.events) {
    if (event.name !== GENAI.evaluationEvent) continue;
    const ea = event.attributes;
    const name = text(ea[GENAI.evaluationName]) || DEFAULTS.feedbackName;
    const entry: Entry = {
      name,
      score: numberOf(ea[GENAI.evaluationScoreValue]),
      label: text(ea[GENAI.evaluationScoreLabel]),
      explanation: text(ea[GENAI.evaluationExplanation]),
      annotatorKind: name === DEFAULTS.feedbackName ? 'HUMAN' : 'LLM',
      identifier: text(ea[GENAI.responseId]),
      metadata: '{}',
    };
    (out ??= []).push(record(span, span, entry, 'span_event', event.timeUnixNano));
  }
  return out ?? [];
}

interface Entry {
  name: string;
  score: number | null;
  label: string;
  explanation: string;
  annotatorKind: AnnotatorKind;
  identifier: string;
  metadata: string;
}

/** Annotation and evaluation attributes, read in one walk over the span's keys (readings are remembered). */
const FEEDBACK_ATTRIBUTES = new IndexedKeyReader([OI.annotations, OI.evaluations]);

/** The field keys under one entry (`annotation.name`, …), built once rather than per entry. */
function fieldsOf(entry: string) {
  return {
    name: entry + 'name',
    score: entry + 'score',
    label: entry + 'label',
    explanation: entry + 'explanation',
    kind: entry + 'annotator_kind',
    identifier: entry + 'identifier',
    metadata: entry + 'metadata',
  };
}
const ANNOTATION_FIELDS_OF = fieldsOf('annotation.');
const EVALUATION_FIELDS_OF = fieldsOf('evaluation.');

function readEntries(
  entries: IndexedEntries,
  k: ReturnType<typeof fieldsOf>,
  defaultKind: AnnotatorKind,
): Entry[] {
  return entries.map(([, f]) => ({
    name: text(f.get(k.name)) || DEFAULTS.feedbackName,
    score: numberOf(f.get(k.score)),
    label: text(f.get(k.label)),
    explanation: text(f.get(k.explanation)),
    annotatorKind: kindOf(f.get(k.kind), defaultKind),
    identifier: text(f.get(k.identifier)),
    metadata: metadataOf(f.get(k.metadata)),
  }));
}

function record(
  span: DecodedSpan,
  target: Target,
  e: Entry,
  origin: FeedbackOrigin,
  time: bigint,
): FeedbackRecord {
  const sessionId = text(span.attributes[OI.sessionId]) || text(span.attributes[GENAI.conversationId]);
  const base = {
    traceId: target.traceId,
    spanId: target.spanId,
    sessionId,
    name: e.name,
    score: e.score,
    label: e.label,
    explanation: e.explanation,
    annotatorKind: e.annotatorKind,
    annotatorId: '',
    identifier: e.identifier,
    origin,
  };
  return {
    ...base,
    feedbackId: feedbackId({ ...base, time: time.toString() }),
    timeUnixNano: time,
    metadata: e.metadata,
  };
}

function kindOf(v: AttrValue | undefined, fallback: AnnotatorKind): AnnotatorKind {
  const k = text(v).trim().toUpperCase();
  return KINDS.has(k) ? (k as AnnotatorKind) : fallback;
}

/** Metadata as JSON text: a string is taken as is (it usually is JSON already), maps are encoded. */
function metadataOf(v: AttrValue | undefined): string {
  if (v === undefined || v === null) return '{}';
  if (typeof v === 'string') return v === '' ? '{}' : v;
  const s = attributeToString(v);
  return typeof v === 'object' && !(v instanceof Uint8Array) ? s : JSON.stringify(s);
}
