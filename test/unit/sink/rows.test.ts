// Row mappers: contrib layout names, exact 64-bit values, routing of feedback kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dateTime64Text,
  EVALUATION_COLUMNS,
  evaluationRow,
  evaluationRowFromFeedback,
  FEEDBACK_COLUMNS,
  feedbackRow,
  isHumanFeedback,
  TRACE_COLUMNS,
  traceRow,
} from '../../../src/sink/rows.js';
import { addEvaluationAttributes } from '../../../src/records/evaluationAttributes.js';
import { evaluationRecord, feedbackRecord, spanRecord } from './records.js';

test('traceRow uses pdata kind/status names and exact nanosecond strings', () => {
  const r = spanRecord(2);
  const row = traceRow(r);
  assert.equal(row.SpanKind, 'Client');
  assert.equal(row.StatusCode, 'Error');
  assert.equal(row.Timestamp, r.span.startTimeUnixNano.toString());
  assert.equal(row.Duration, '987654321');
  assert.equal(row.SpanAttributes['llm.token_count.prompt'], '12');
  assert.equal(row.SpanAttributes['tag.tags'], '["a","b"]');
  assert.equal(row.SpanAttributes.blob, 'AQID');
  assert.equal(row.ResourceAttributes['host.cores'], '8');
  assert.deepEqual(row['Events.Name'], ['first_token', 'gen_ai.evaluation.result']);
  assert.deepEqual(row['Links.SpanId'], ['e'.repeat(16)]);
  assert.deepEqual(JSON.parse(row.PromptMessages), r.prompt);
  assert.equal(row.IsLlm, 1);
});

test('traceRow clamps an unknown kind and a negative duration', () => {
  const r = spanRecord(0);
  r.span.kind = 42;
  r.span.statusCode = 9;
  r.span.endTimeUnixNano = r.span.startTimeUnixNano - 5n;
  const row = traceRow(r);
  assert.equal(row.SpanKind, 'Unspecified');
  assert.equal(row.StatusCode, 'Unset');
  assert.equal(row.Duration, '0');
});

test('feedback rows keep ids; CODE/LLM results become evaluation rows with their origin', () => {
  const human = feedbackRecord(1, 'HUMAN');
  assert.equal(isHumanFeedback(human), true);
  const f = feedbackRow(human);
  assert.equal(f.FeedbackId, 'fb-HUMAN-1');
  assert.equal(f.Score, null);
  const llm = feedbackRecord(2, 'LLM');
  assert.equal(isHumanFeedback(llm), false);
  const e = evaluationRowFromFeedback(llm);
  assert.equal(e.Origin, 'api');
  assert.equal(e.EvaluationId, 'fb-LLM-2');
  assert.equal(e.Identifier, 'judge@3');
});

test('evaluationRow identifies the rubric as id@version with origin prefloop', () => {
  const row = evaluationRow(evaluationRecord(0));
  assert.equal(row.Identifier, 'concise@2');
  assert.equal(row.Origin, 'prefloop');
  assert.equal(row.RubricVersion, '2');
  assert.equal(row.Score, 0.75);
});

test('each row object lists its columns in the order compact batches write values', () => {
  // A JSONCompactEachRow body is Object.values(row) under these column lists: the orders must agree.
  assert.deepEqual(Object.keys(traceRow(spanRecord(1))), [...TRACE_COLUMNS]);
  assert.deepEqual(Object.keys(feedbackRow(feedbackRecord(1, 'HUMAN'))), [...FEEDBACK_COLUMNS]);
  assert.deepEqual(Object.keys(evaluationRow(evaluationRecord(1))), [...EVALUATION_COLUMNS]);
  assert.deepEqual(Object.keys(evaluationRowFromFeedback(feedbackRecord(1, 'CODE'))), [
    ...EVALUATION_COLUMNS,
  ]);
});

test('attributes prefloop added follow the span own ones, as strings', () => {
  const r = spanRecord(1);
  addEvaluationAttributes(r, [{ ...evaluationRecord(1), rubricId: 'toxicity', score: 0.25 }], 'h');
  const row = traceRow(r);
  const keys = Object.keys(row.SpanAttributes);
  assert.deepEqual(
    keys.slice(-7),
    ['name', 'score', 'label', 'explanation', 'annotator_kind', 'identifier', 'metadata'].map(
      (f) => `evaluations.0.evaluation.${f}`,
    ),
  );
  assert.equal(keys.length, Object.keys(r.span.attributes).length + 7);
  assert.equal(row.SpanAttributes['evaluations.0.evaluation.score'], '0.25');
  assert.equal(r.span.attributes['evaluations.0.evaluation.name'], undefined);
});

test('DateTime64 text is 19 digits of nanoseconds, clamped at the type maximum', () => {
  assert.equal(dateTime64Text(0n), '0000000000000000000');
  assert.equal(dateTime64Text(5n), '0000000000000000005');
  assert.equal(dateTime64Text(1_700_000_000_123_456_789n), '1700000000123456789');
  assert.equal(dateTime64Text(2n ** 63n - 1n), '9223372036854775807');
  assert.equal(dateTime64Text(2n ** 64n - 1n), '9223372036854775807');
});
