// Encodes a prefloop rubric result's evaluations row straight into its JSONCompactEachRow line (pure).
import type { EvaluationRecord } from '../normalize/types.js';
import { jsonString, JsonStringMemo } from './jsonString.js';
import { PREFLOOP_ORIGIN } from './rows.js';

/** Rubric ids, labels, versions, identifiers and metadata repeat across spans: their JSON is memoised. */
const values = new JsonStringMemo();
const ORIGIN_JSON = JSON.stringify(PREFLOOP_ORIGIN);

/**
 * The JSONCompactEachRow line (no newline) of `evaluationRow(e)`: byte for byte what `JSON.stringify(
 * Object.values(evaluationRow(e)))` writes (test/unit/sink/evaluationLine.test.ts holds the two together).
 * Why: each span has several results, and one JSON.stringify per row, over fresh strings, cost ~6 µs a row.
 */
export function evaluationLine(e: EvaluationRecord): string {
  const identifier = `${e.rubricId}@${e.rubricVersion}`;
  return (
    '["' +
    e.timeUnixNano.toString() +
    '",' +
    jsonString(e.traceId) +
    ',' +
    jsonString(e.spanId) +
    ',"",' + // SessionId
    jsonString(`${e.traceId}:${e.spanId}:${identifier}`) +
    ',' +
    values.get(e.rubricId) +
    ',' +
    // A finite score is written as JSON.stringify writes a number; any other as null.
    (Number.isFinite(e.score) ? String(e.score) : 'null') +
    ',' +
    values.get(e.label) +
    ',' +
    values.get(e.explanation) +
    ',' +
    values.get(e.annotatorKind) +
    ',"",' + // AnnotatorId
    values.get(identifier) +
    ',' +
    values.get(e.rubricVersion) +
    ',' +
    ORIGIN_JSON +
    ',' +
    values.get(e.metadata) +
    ']'
  );
}
