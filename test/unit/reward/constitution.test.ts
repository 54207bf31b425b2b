// The constitution: every rubric of the default file a principle in the Constitutional-AI request form, judge
// criteria carried, built-in evaluators all covered, and the output a pure function of the file's bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildConstitution } from '../../../src/reward/constitution.js';
import { BUILTIN_PRINCIPLES } from '../../../src/reward/principles.js';
import { EVALUATORS } from '../../../src/score/evaluators/registry.js';
import { parseRubricFile } from '../../../src/score/RubricFile.js';

const DEFAULT = readFileSync('collector-config/rubrics.yaml', 'utf8');

test('every rubric of the default file is a principle, in file order, with both requests', () => {
  const set = parseRubricFile(DEFAULT, 'collector-config/rubrics.yaml');
  const c = buildConstitution(set);
  assert.equal(c.rubric_version, set.hash);
  assert.equal(c.rubric_file, 'collector-config/rubrics.yaml');
  assert.deepEqual(
    c.principles.map((p) => p.name),
    set.rubrics.map((r) => r.id),
  );
  for (const p of c.principles) {
    assert.match(p.critique, /^Identify specific ways in which the assistant's last response .+\.$/s);
    assert.match(p.revision, /^Please rewrite the assistant response to .+\.$/s);
    assert.ok(p.checks.length > 20, `${p.name} says what it checks`);
    assert.match(p.identifier, new RegExp(`^${p.name}@`));
  }
  const pii = c.principles.find((p) => p.name === 'pii_leakage')!;
  assert.match(pii.critique, /personal data/);
  assert.equal(pii.critical, true);
});

test('every built-in evaluator has a principle', () => {
  for (const name of EVALUATORS.keys()) assert.ok(BUILTIN_PRINCIPLES.has(name), `principle for ${name}`);
});

test('judge criteria and descriptions are carried; params shape the text', () => {
  const set = parseRubricFile(`
rubrics:
  - id: helpful
    evaluator: llm_judge
    description: Helpful to a support customer.
    threshold: 0.6
    judge:
      base_url: http://127.0.0.1:9/v1
      model: m
      criteria: |
        Does the answer solve the customer's problem?
        Prefer concrete steps over vague advice.
  - id: short
    evaluator: length
    description: Support answers fit on a phone screen
    params: { unit: words, min: 5, max: 80 }
    threshold: 0.5
`);
  const [helpful, short] = buildConstitution(set, 'r.yaml').principles;
  assert.equal(
    helpful!.critique,
    "Identify specific ways in which the assistant's last response falls short of these criteria: Does the answer solve the customer's problem? Prefer concrete steps over vague advice. Keep in mind: Helpful to a support customer.",
  );
  assert.match(helpful!.revision, /meet these criteria fully: Does the answer solve/);
  assert.equal(helpful!.description, 'Helpful to a support customer.');
  assert.match(short!.revision, /between 5 and 80 words/);
  assert.match(short!.critique, /Keep in mind: Support answers fit on a phone screen\.$/);
});

test('deterministic for a file, and changes with it', () => {
  const a = JSON.stringify(buildConstitution(parseRubricFile(DEFAULT, 'r.yaml')));
  const b = JSON.stringify(buildConstitution(parseRubricFile(DEFAULT, 'r.yaml')));
  assert.equal(a, b);
  const edited = DEFAULT.replace(/(\n\s+)min: 3\n/, '$1min: 4\n');
  assert.notEqual(edited, DEFAULT);
  const c = buildConstitution(parseRubricFile(edited, 'r.yaml'));
  assert.notEqual(JSON.stringify(c), a);
  assert.match(c.principles.find((p) => p.name === 'length')!.revision, /between 4 and 300 words/);
  assert.notEqual(c.rubric_version, JSON.parse(a).rubric_version);
});
