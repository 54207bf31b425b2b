// Rubric pairing settings validation: every problem listed at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rubricPairProblems } from '../../../src/views/rubricPairConfig.js';

test('valid descriptors have no problems; bad ones are each named', () => {
  assert.deepEqual(
    rubricPairProblems([
      { rubricId: 'a', rubricVersion: '1', noiseFloor: 0.1, higherIsBetter: true, weight: 1 },
    ]),
    [],
  );
  const problems = rubricPairProblems([
    { rubricId: 'a', rubricVersion: '1', noiseFloor: -1, higherIsBetter: true, weight: 1 },
    { rubricId: 'a', rubricVersion: '1', noiseFloor: 0, higherIsBetter: true, weight: Number.NaN },
    { rubricId: '', rubricVersion: '1', noiseFloor: 0, higherIsBetter: true, weight: 1 },
  ]);
  assert.equal(problems.length, 4);
  assert.match(problems.join('\n'), /noiseFloor must be a number >= 0/);
  assert.match(problems.join('\n'), /listed twice/);
  assert.match(problems.join('\n'), /weight must be/);
  assert.match(problems.join('\n'), /rubricId is empty/);
});
