// Writes rubric results onto span attributes as OpenInference evaluations, after any index already there.
import { PREFLOOP_ATTRS } from '../names.js';
import { ANNOTATION_FIELDS, annotationKey, OI } from '../conventions.js';
import { attributeToString } from './attributeToString.js';
import type { AddedEvaluations, AttrMap, EvaluationRecord, SpanRecord } from './types.js';

/** Flat attribute values as both OTLP-decoded maps and OTel SDK spans accept them. */
export type FlatAttributes = Record<string, unknown>;

const EVALUATIONS_PREFIX = `${OI.evaluations}.`;

/**
 * Indices at or past this are not counted as evaluations: a hostile `evaluations.9007199254740992.…` key
 * would otherwise make every later index collide (2^53 + 1 === 2^53).
 */
const MAX_EVALUATION_INDEX = 1_000_000;

/** The `i` of an `evaluations.{i}…` attribute key; undefined for any other key. */
export function evaluationIndexOf(key: string): number | undefined {
  if (!key.startsWith(EVALUATIONS_PREFIX)) return undefined;
  const dot = key.indexOf('.', EVALUATIONS_PREFIX.length);
  const i = Number(key.slice(EVALUATIONS_PREFIX.length, dot === -1 ? undefined : dot));
  return Number.isSafeInteger(i) && i >= 0 && i < MAX_EVALUATION_INDEX ? i : undefined;
}

/** The first free `evaluations.{i}` index on a span (one past the highest present). */
export function nextEvaluationIndex(attributes: Readonly<FlatAttributes>): number {
  let next = 0;
  for (const key of Object.keys(attributes)) {
    const i = evaluationIndexOf(key);
    if (i !== undefined && i >= next) next = i + 1;
  }
  return next;
}

/**
 * Evaluation indices whose keys are built once and kept: the same few recur on every span. Past it (a
 * sender picks the indices, up to MAX_EVALUATION_INDEX) keys are built each time, so no cache grows with them.
 */
export const CACHED_INDICES = 256;

/** The seven keys of evaluation `i`. */
const keysByIndex: string[][] = [];
function keysOf(i: number): string[] {
  let keys = keysByIndex[i];
  if (!keys) {
    keys = ANNOTATION_FIELDS.map((field) => annotationKey('evaluations', i, field));
    if (i < CACHED_INDICES) keysByIndex[i] = keys;
  }
  return keys;
}

/** The attributes for `results`, numbered from `start` (for an SDK span's setAttributes). */
export function evaluationAttributes(
  start: number,
  results: readonly EvaluationRecord[],
  setHash: string,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  visitEvaluations({ start, results, setHash }, (key, value) => (out[key] = value));
  return out;
}

/** Calls `visit` with each attribute prefloop adds to the record's span, in write order. */
export function forEachAddedAttribute(
  record: SpanRecord,
  visit: (key: string, value: string | number) => void,
): void {
  const added = record.addedEvaluations;
  if (added) for (const group of added) visitEvaluations(group, visit);
}

/** The seven attributes of each result, in OpenInference's field order. */
function visitEvaluations(
  group: AddedEvaluations,
  visit: (key: string, value: string | number) => void,
): void {
  const { start, results, setHash } = group;
  for (let n = 0; n < results.length; n++) {
    const r = results[n]!;
    const [name, score, label, explanation, kind, identifier, metadata] = keysOf(start + n) as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    visit(name, r.rubricId);
    visit(score, r.score);
    visit(label, r.label);
    visit(explanation, r.explanation);
    visit(kind, r.annotatorKind);
    visit(identifier, `${r.rubricId}@${r.rubricVersion}`);
    visit(metadata, withRubricFileHash(r.metadata, setHash));
  }
}

/**
 * Adds `results` to what prefloop writes onto the record's span (`record.addedEvaluations`), numbered after
 * every evaluation index the span already has or was given before (several rubric files, late judges).
 */
export function addEvaluationAttributes(
  record: SpanRecord,
  results: readonly EvaluationRecord[],
  setHash: string,
): void {
  const own = record.span.attributes;
  let start = nextEvaluationIndex(own);
  // A rubric a prefloop already scored on this span (an app's RubricSpanProcessor: same id and version) keeps
  // that result: two results with one identifier would tie in `evaluations`, each as likely to be read.
  const fresh = start === 0 ? results : results.filter(notScoredOn(own));
  if (fresh.length === 0) return;
  const added = (record.addedEvaluations ??= []);
  for (const group of added) start = Math.max(start, group.start + group.results.length);
  added.push({ start, results: fresh, setHash });
}

/** A filter keeping results whose identifier no prefloop-written result on the span carries. */
function notScoredOn(attributes: AttrMap): (r: EvaluationRecord) => boolean {
  const scored = new Set<string>();
  for (const key of Object.keys(attributes)) {
    const i = evaluationIndexOf(key);
    if (i === undefined || key !== annotationKey(OI.evaluations, i, 'identifier')) continue;
    const metadata = attributes[annotationKey(OI.evaluations, i, 'metadata')];
    if (metadata !== undefined && hasRubricFileHash(attributeToString(metadata)))
      scored.add(attributeToString(attributes[key]!));
  }
  return (r) => scored.size === 0 || !scored.has(`${r.rubricId}@${r.rubricVersion}`);
}

/** The span's attributes followed by what prefloop added: the enriched span a forwarder sends on. */
export function enrichedAttributes(record: SpanRecord): AttrMap {
  if (!record.addedEvaluations) return record.span.attributes;
  const out: AttrMap = { ...record.span.attributes };
  forEachAddedAttribute(record, (key, value) => (out[key] = value));
  return out;
}

/** The record's metadata JSON with the rubric file hash guaranteed present. */
export function withRubricFileHash(metadata: string, setHash: string): string {
  // The Scorer writes this exact prefix; parsing and re-serialising on every result is the hot path's cost.
  if (metadata.startsWith(hashPrefix(setHash))) return metadata;
  let obj: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(metadata || '{}');
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      obj = parsed as Record<string, unknown>;
  } catch {
    obj = { original_metadata: metadata };
  }
  return JSON.stringify({ [PREFLOOP_ATTRS.rubricFileHash]: setHash, ...obj });
}

/** `{"rubric_file_hash":"<hash>"`: how metadata this rubric file's results carry begins. */
function hashPrefix(setHash: string): string {
  return `{"${PREFLOOP_ATTRS.rubricFileHash}":"${setHash}"`;
}

/**
 * True for evaluation metadata a prefloop wrote: its text names "rubric_file_hash". The same raw-text test as
 * migration 0005's view, so a result is either left to the view or read here, never both, never neither.
 */
export function hasRubricFileHash(metadata: string): boolean {
  return metadata.includes(RUBRIC_FILE_HASH_KEY);
}

const RUBRIC_FILE_HASH_KEY = `"${PREFLOOP_ATTRS.rubricFileHash}"`;
