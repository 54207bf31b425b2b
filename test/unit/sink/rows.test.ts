// Row mappers: contrib layout names, exact 64-bit values, routing of feedback kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  evaluationRow,
  evaluationRowFromFeedback,
  feedbackRow,
  isHumanFeedback,
  traceRow,
} from '../../../src/sink/rows.js';
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
