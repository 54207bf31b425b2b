// Rubric file validation: every problem listed with its path; versions from the file hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { loadRubricFile, parseRubricFile, RubricFileError } from '../../../src/score/RubricFile.js';
import { pairDescriptors } from '../../../src/views/rubricPairConfig.js';

function problems(text: string): readonly string[] {
  try {
    parseRubricFile(text, 'test.yaml');
  } catch (err) {
    assert.ok(err instanceof RubricFileError);
    assert.match(err.message, /test\.yaml is invalid/);
    return err.problems;
  }
  assert.fail('expected the file to be rejected');
}

test('every problem is listed at once, each with its path', () => {
  const p = problems(`
rubrics:
  - {id: a, evaluator: toxicity, threshold: 0.3}
  - {id: a, evaluator: toxicity, threshold: 0.3}
  - {id: c, evaluator: length, threshold: high}
  - {id: d, evaluator: nope, threshold: 0.5}
  - {id: e, evaluator: length, threshold: 0.5, params: {min: "x"}, colour: red}
  - {id: f, evaluator: llm_judge, threshold: 0.5, judge: {base_url: "ftp://x", model: m}}
  - {id: g, evaluator: toxicity, threshold: 0.5, direction: up}
`);
  assert.ok(p.includes('rubrics[1].id: duplicate id "a" (also rubrics[0])'), p.join('\n'));
  assert.ok(p.includes('rubrics[2].threshold: expected number'), p.join('\n'));
  assert.ok(
    p.some((x) =>
      x.startsWith('rubrics[3].evaluator: unknown evaluator "nope"; expected one of groundedness'),
    ),
  );
  assert.ok(
    p.includes('rubrics[4].colour: unknown key colour') ||
      p.some((x) => /rubrics\[4\]: unknown key colour/.test(x)),
    p.join('\n'),
  );
  assert.ok(
    p.includes('rubrics[6].direction: expected one of "higher_is_better", "lower_is_better"'),
    p.join('\n'),
  );
  assert.ok(
    p.some((x) => x.startsWith('rubrics[5].judge.base_url:')),
    p.join('\n'),
  );
  assert.ok(p.includes('rubrics[5].judge.criteria: expected string (missing)'), p.join('\n'));
});

test('evaluator params are validated with their own schema, under params', () => {
  const p = problems(`
rubrics:
  - {id: e, evaluator: length, threshold: 0.5, params: {min: "x", unit: lines}}
`);
  assert.ok(p.includes('rubrics[0].params.min: expected number'), p.join('\n'));
  assert.ok(
    p.some((x) => x.startsWith('rubrics[0].params.unit: expected one of')),
    p.join('\n'),
  );
});

test('YAML syntax errors and an empty file are reported, not thrown raw', () => {
  assert.match(problems('rubrics: [\n')[0]!, /^yaml \(line \d+\)/);
  assert.deepEqual(problems('rubrics: []\n'), ['rubrics: expected at least one rubric']);
});

test('the set version is the short sha256 of the bytes; a rubric may pin its own', () => {
  const text = `rubrics:
  - {id: tox, evaluator: toxicity, threshold: 0.3}
  - {id: len, evaluator: length, threshold: 0.5, version: "2", pairs: false, noise_floor: 0.2}
`;
  const set = parseRubricFile(text);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  assert.equal(set.hash, hash);
  assert.equal(set.rubrics[0]!.version, hash);
  assert.equal(set.rubrics[1]!.version, '2');
  assert.equal(set.rubrics[0]!.higherIsBetter, false, 'toxicity defaults to lower is better');
  assert.deepEqual(set.rubrics[0]!.appliesTo.spanKinds, ['LLM']);
  assert.deepEqual(pairDescriptors(set), [
    { rubricId: 'tox', rubricVersion: hash, noiseFloor: 0.05, higherIsBetter: false, weight: 1 },
  ]);
  assert.notEqual(parseRubricFile(text + '# edit\n').hash, hash);
});

test('the shipped default rubric file loads', () => {
  const set = loadRubricFile('collector-config/rubrics.yaml');
  assert.ok(set.rubrics.length >= 8);
  assert.ok(set.rubrics.every((r) => r.annotatorKind === 'CODE'));
});
