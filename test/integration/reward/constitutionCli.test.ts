// `prefloop constitution`: the default rubric file's principles on standard output or in --out FILE, the same
// bytes every run; a bad rubric file named with its problems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConstitution, type Constitution } from '../../../src/reward/constitution.js';
import { loadRubricFile } from '../../../src/score/RubricFile.js';
import { runInProcess } from '../faults/cliHarness.js';

const dir = mkdtempSync(join(tmpdir(), 'prefloop-constitution-'));
test.after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }));

test('standard output and --out give the same JSON, the default file’s every rubric', async () => {
  const a = await runInProcess(['constitution']);
  assert.equal(a.code, 0, a.stderr);
  const b = await runInProcess(['constitution']);
  assert.equal(a.stdout, b.stdout, 'deterministic');
  const parsed = JSON.parse(a.stdout) as Constitution;
  const set = loadRubricFile('collector-config/rubrics.yaml');
  assert.equal(parsed.rubric_version, set.hash);
  assert.equal(parsed.rubric_file, 'collector-config/rubrics.yaml', 'named relative to the working folder');
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(buildConstitution(set, parsed.rubric_file))));
  const out = join(dir, 'constitution.json');
  const w = await runInProcess(['constitution', '--out', out]);
  assert.equal(w.code, 0, w.stderr);
  assert.match(w.stdout, new RegExp(`wrote ${set.rubrics.length} principles .*version ${set.hash}`));
  assert.equal(readFileSync(out, 'utf8'), a.stdout);
});

test('--rubrics names another file; a bad one fails naming its problems', async () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'rubrics:\n  - id: x\n    evaluator: nope\n    threshold: 2\n');
  const r = await runInProcess(['constitution', '--rubrics', bad]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unknown evaluator "nope"|threshold/);
  assert.equal(r.stdout, '');
});
