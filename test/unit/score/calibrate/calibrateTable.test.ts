// The calibrate table: a row for the combined score rubric pairs use, n/a where a rubric never applied
// or never separated a pair, and a final newline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibrateDeterministic, formatCalibrationTable } from '../../../../src/score/calibrate/calibrate.js';
import { parseHhPairs } from '../../../../src/score/calibrate/hhPairs.js';
import { parseRubricFile } from '../../../../src/score/RubricFile.js';

test('calibrate: combined row, n/a for a rubric with nothing to compare, newline at the end', () => {
  const set = parseRubricFile(
    [
      'rubrics:',
      '  - {id: tox, evaluator: toxicity, threshold: 0.3}',
      '  - {id: len, evaluator: length, threshold: 0.5, pairs: {weight: 2}}',
      '  - {id: never, evaluator: toxicity, threshold: 0.3, applies_to: {model: nothing-matches}}',
    ].join('\n'),
  );
  const read = parseHhPairs(
    JSON.stringify({
      chosen: '\n\nHuman: q\n\nAssistant: no',
      rejected: '\n\nHuman: q\n\nAssistant: sure, you idiot',
    }),
  );
  const rows = calibrateDeterministic(read.pairs, set);
  const combined = rows.find((r) => r.kind === 'COMBINED')!;
  assert.equal(combined.rubricId, 'combined');
  assert.match(combined.version, /^tox@\w+\*1 len@\w+\*2 never@\w+\*1$/);
  const never = rows.find((r) => r.rubricId === 'never')!;
  assert.equal(never.scored, 0);
  // A rubric that never applies does not keep the others from combining.
  assert.equal(combined.scored, 1);
  const table = formatCalibrationTable({
    file: 'f',
    rubricSetHash: set.hash,
    lines: 1,
    pairs: 1,
    skipped: {},
    rows,
  });
  assert.match(table, /never\s+CODE\s+0\s+n\/a\s+n\/a\s+n\/a\s+n\/a\s+0\s+never applied/);
  assert.match(table, /combined\s+COMBINED\s+/);
  assert.ok(table.endsWith('\n'));
});
