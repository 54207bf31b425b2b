// Evaluation attributes are appended after any index already on the span.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addEvaluationAttributes,
  enrichedAttributes,
  evaluationIndexOf,
  nextEvaluationIndex,
} from '../../../src/records/evaluationAttributes.js';
import { spanRecord } from '../sink/records.js';
import type { EvaluationRecord } from '../../../src/records/types.js';

const result: EvaluationRecord = {
  traceId: 't',
  spanId: 's',
  timeUnixNano: 0n,
  rubricId: 'toxicity',
  rubricVersion: 'abc123',
  score: 0.25,
  label: 'mild',
  explanation: '1 lexicon term(s) found',
  annotatorKind: 'CODE',
  metadata: '{"passed":true}',
};

/** A span carrying `own` attributes, enriched with `results`: what a writer sees. */
function enrich(own: Record<string, string>, results: EvaluationRecord[], setHash: string) {
  const record = spanRecord(0);
  record.span.attributes = own;
  addEvaluationAttributes(record, results, setHash);
  return enrichedAttributes(record);
}

test('appends after the highest existing index, even with gaps', () => {
  const own = {
    'evaluations.0.evaluation.name': 'upstream',
    'evaluations.3.evaluation.name': 'upstream2',
    'annotations.7.annotation.name': 'thumbs',
  };
  assert.equal(nextEvaluationIndex(own), 4);
  const attrs = enrich(own, [result], 'abc123');
  assert.equal(attrs['evaluations.4.evaluation.name'], 'toxicity');
  assert.equal(attrs['evaluations.4.evaluation.score'], 0.25);
  assert.equal(attrs['evaluations.4.evaluation.label'], 'mild');
  assert.equal(attrs['evaluations.4.evaluation.annotator_kind'], 'CODE');
  assert.equal(attrs['evaluations.4.evaluation.identifier'], 'toxicity@abc123');
  assert.deepEqual(JSON.parse(attrs['evaluations.4.evaluation.metadata'] as string), {
    rubric_file_hash: 'abc123',
    passed: true,
  });
  assert.equal(attrs['evaluations.0.evaluation.name'], 'upstream');
});

test('starts at 0 on a span without evaluations', () => {
  const attrs = enrich({}, [result, { ...result, rubricId: 'x' }], 'h');
  assert.equal(attrs['evaluations.1.evaluation.name'], 'x');
  assert.equal(Object.keys(attrs).length, 14);
});

test('added to a record: numbered after the span own evaluations and after earlier additions', () => {
  const record = spanRecord(0);
  record.span.attributes['evaluations.1.evaluation.name'] = 'upstream';
  addEvaluationAttributes(record, [result], 'h');
  addEvaluationAttributes(record, [{ ...result, rubricId: 'judge' }], 'h');
  addEvaluationAttributes(record, [], 'h');
  const added = enrichedAttributes(record);
  assert.equal(added['evaluations.2.evaluation.name'], 'toxicity');
  assert.equal(added['evaluations.3.evaluation.name'], 'judge');
  assert.equal(record.span.attributes['evaluations.2.evaluation.name'], undefined);
  const enriched = enrichedAttributes(record);
  assert.equal(enriched['evaluations.1.evaluation.name'], 'upstream');
  assert.equal(enriched['evaluations.3.evaluation.name'], 'judge');
  const plain = spanRecord(1);
  assert.equal(
    enrichedAttributes(plain),
    plain.span.attributes,
    'nothing added: the span own object, not a copy',
  );
});

test('a rubric a prefloop already scored on the span (same id and version) is not written again', () => {
  const record = spanRecord(0);
  Object.assign(record.span.attributes, {
    'evaluations.0.evaluation.name': 'toxicity',
    'evaluations.0.evaluation.identifier': 'toxicity@1',
    'evaluations.0.evaluation.metadata': '{"rubric_file_hash":"app"}',
    // Same identifier from an evaluator that is not prefloop: no hash, so it does not count.
    'evaluations.1.evaluation.identifier': 'length@1',
    'evaluations.1.evaluation.metadata': '{}',
  });
  const base = { ...result, rubricVersion: '1' };
  addEvaluationAttributes(
    record,
    [
      { ...base, rubricId: 'toxicity' },
      { ...base, rubricId: 'length' },
    ],
    'serve',
  );
  const added = enrichedAttributes(record);
  assert.equal(added['evaluations.2.evaluation.identifier'], 'length@1');
  assert.equal(added['evaluations.3.evaluation.identifier'], undefined);
});

test('absurd evaluation indices are not counted: later results still get distinct keys', () => {
  assert.equal(evaluationIndexOf('evaluations.9007199254740992.evaluation.name'), undefined);
  assert.equal(evaluationIndexOf('evaluations.-1.evaluation.name'), undefined);
  assert.equal(evaluationIndexOf('evaluations.12.evaluation.name'), 12);
  const record = spanRecord(0);
  record.span.attributes['evaluations.9007199254740992.evaluation.metadata'] = '{"rubric_file_hash":"x"}';
  addEvaluationAttributes(
    record,
    [
      { ...result, rubricId: 'a' },
      { ...result, rubricId: 'b' },
    ],
    'h',
  );
  const added = enrichedAttributes(record);
  assert.equal(added['evaluations.0.evaluation.name'], 'a');
  assert.equal(added['evaluations.1.evaluation.name'], 'b');
});
