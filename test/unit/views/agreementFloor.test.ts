// The rubric file's agreement_floor reaches the pair settings through the pairing descriptors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRubricFile, RubricFileError } from '../../../src/score/RubricFile.js';
import { pairDescriptors, rubricPairProblems } from '../../../src/views/rubricPairConfig.js';

const file = (floor: string) => `
agreement_floor: ${floor}
rubrics:
  - id: short
    evaluator: length
    threshold: 0.5
`;

test('agreement_floor: carried on each descriptor, checked as a fraction', () => {
  const [d] = pairDescriptors(parseRubricFile(file('0.7')));
  assert.equal(d!.agreementFloor, 0.7);
  assert.throws(() => parseRubricFile(file('2')), RubricFileError);
  assert.deepEqual(rubricPairProblems([{ ...d!, agreementFloor: -1 }]), [
    'rubric "short"@"' + d!.rubricVersion + '": agreementFloor must be a number from 0 to 1, got -1',
  ]);
  const shipped = parseRubricFile('rubrics:\n  - {id: x, evaluator: length, threshold: 0.5}\n');
  assert.equal(pairDescriptors(shipped)[0]!.agreementFloor, undefined, 'unset: the default 0.5 applies');
});
