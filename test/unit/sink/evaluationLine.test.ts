// evaluationLine writes exactly the JSONCompactEachRow line of evaluationRow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVALUATION_COLUMNS, evaluationRow } from '../../../src/sink/rows.js';
import { evaluationLine } from '../../../src/sink/evaluationLine.js';
import { evaluationRecord } from './records.js';

const TEXT = [
  '',
  'short enough',
  'quote " \\ \n\u0000',
  'é 漢 😀 \ud800',
  '{"rubric_file_hash":"abc","k":[1]}',
];
const SCORES = [0.75, 0, -0, 1, 1e21, 5e-324, NaN, Infinity, -Infinity];

test('evaluationLine is the row object stringified, for odd text and every kind of score', () => {
  SCORES.forEach((score, i) => {
    for (const text of TEXT) {
      const e = {
        ...evaluationRecord(i),
        score,
        explanation: text,
        label: text,
        metadata: text,
        rubricId: `r${text}`,
      };
      assert.equal(evaluationLine(e), JSON.stringify(Object.values(evaluationRow(e))), `${score} ${text}`);
      assert.equal(evaluationLine(e), JSON.stringify(Object.values(evaluationRow(e))), 'memoised');
    }
  });
});

test('the line lists values in EVALUATION_COLUMNS order', () => {
  const e = evaluationRecord(3);
  const values = JSON.parse(evaluationLine(e)) as unknown[];
  const row = evaluationRow(e);
  assert.deepEqual(
    values,
    EVALUATION_COLUMNS.map((c) => row[c]),
  );
});
