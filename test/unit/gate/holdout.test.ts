// The hold-out reader takes back every export format (written by the export's own formatters) and the
// verdict rules decide as documented.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatKto, formatPair } from '../../../src/export/formats.js';
import type { KtoRow, PairRow } from '../../../src/export/formats.js';
import { HoldoutError, readHoldout } from '../../../src/gate/holdout.js';
import { parseTranscript } from '../../../src/gate/transcriptText.js';
import type { RubricComparison } from '../../../src/gate/compare.js';
import { decide } from '../../../src/gate/verdict.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-gate-holdout-'));
after(() => rmSync(root, { recursive: true, force: true }));

const prompt = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'How do refunds work?\nTell me.' },
];
const pair: PairRow = {
  pair_id: 'p1',
  source: 'rubric',
  sources: ['rubric'],
  prompt: JSON.stringify(prompt),
  chosen: 'Refunds take five days.',
  rejected: 'No.',
  margin: 0.4,
  prompt_class: 'c',
  prompt_hash: 'h',
  chosen_span_id: 'a',
  rejected_span_id: 'b',
  created_ms: 0,
  agreement: null,
  rubric_versions: ['completeness@1'],
  metadata: '{}',
};
const kto = (completion: string, label: boolean): KtoRow => ({
  span_id: completion,
  prompt_hash: 'h',
  prompt_class: 'c',
  prompt: JSON.stringify(prompt),
  completion,
  label,
  kind: 'thumb',
  agreement: 1,
  created_ms: 0,
});

function file(name: string, records: object[], manifest?: object): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'holdout.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  if (manifest) writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return join(dir, 'holdout.jsonl');
}

for (const format of ['dpo', 'dpo-chat', 'hh'] as const) {
  test(`reads a ${format} hold-out back into the prompt messages and the pair`, () => {
    const path = file(format, [formatPair(format, pair), formatPair(format, pair)], {
      format,
      rubric_versions: ['completeness@1'],
    });
    const h = readHoldout(path);
    assert.equal(h.format, format);
    assert.equal(h.records, 2);
    assert.equal(h.prompts.length, 1, 'deduplicated');
    assert.deepEqual(h.prompts[0]!.messages, prompt);
    assert.deepEqual(h.pairs[0], {
      promptKey: h.prompts[0]!.key,
      chosen: pair.chosen,
      rejected: pair.rejected,
    });
    assert.deepEqual(h.manifest?.rubricVersions, ['completeness@1']);
  });
}

for (const format of ['kto', 'kto-chat'] as const) {
  test(`reads a ${format} hold-out: desirable and undesirable answers to one prompt pair up`, () => {
    const path = file(format, [
      formatKto(kto('Good one.', true), format),
      formatKto(kto('Bad.', false), format),
    ]);
    const h = readHoldout(path);
    assert.equal(h.format, format, 'told from the records without a manifest');
    assert.deepEqual(h.prompts[0]!.messages, prompt);
    assert.deepEqual(h.pairs, [{ promptKey: h.prompts[0]!.key, chosen: 'Good one.', rejected: 'Bad.' }]);
    assert.equal(h.manifest, undefined);
  });
}

test('reads a reward hold-out: the best and worst answer to a prompt pair up; plain text is one user message', () => {
  const h = readHoldout(
    file('reward', [
      { prompt: 'What is 2+2?', completion: '4', reward: 0.9, scores: {} },
      { prompt: 'What is 2+2?', completion: 'five', reward: 0.1, scores: {} },
      { prompt: 'What is 3+3?', completion: '6', reward: 0.9, scores: {} },
    ]),
  );
  assert.equal(h.format, 'reward');
  assert.deepEqual(h.prompts[0]!.messages, [{ role: 'user', content: 'What is 2+2?' }]);
  assert.deepEqual(h.pairs, [{ promptKey: h.prompts[0]!.key, chosen: '4', rejected: 'five' }]);
});

test('bad hold-outs are refused with the file and line named', () => {
  assert.throws(() => readHoldout(join(root, 'missing.jsonl')), /cannot read the hold-out .*missing\.jsonl/);
  assert.throws(
    () => readHoldout(file('empty', [])),
    (e: Error) => e instanceof HoldoutError && /is empty/.test(e.message),
  );
  const bad = file('bad', [formatPair('dpo', pair)]);
  writeFileSync(bad, JSON.stringify(formatPair('dpo', pair)) + '\n{oops\n');
  assert.throws(() => readHoldout(bad), /line 2 is not a JSON object/);
  assert.throws(() => readHoldout(file('odd', [{ text: 'x' }])), /cannot tell the format/);
});

test('transcripts: the HH form back to roles, the trailing Assistant cue dropped', () => {
  assert.deepEqual(parseTranscript('\n\nHuman: hi\n\nAssistant: hello\n\nHuman: bye\n\nAssistant:'), [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: 'hello' },
    { role: 'user', content: 'bye' },
  ]);
});

function comparison(
  id: string,
  improvement: [number, number],
  critical = false,
  tolerance = 0.05,
): RubricComparison {
  const mid = (improvement[0] + improvement[1]) / 2;
  return {
    id,
    critical,
    higher_is_better: true,
    tolerance,
    n: 30,
    baseline: 0.5,
    candidate: 0.5 + mid,
    delta: mid,
    ci: improvement,
    improvement: mid,
    improvement_ci: improvement,
  };
}
const accurate = { method: 'judge_win_rate' as const, accuracy: 0.7, n: 30, correct: 20, ties: 2 };

test('verdict: a critical regression rolls back however much the average gains, and names the rubric', () => {
  const d = decide({
    rubrics: [comparison('helpful', [0.2, 0.4]), comparison('safety', [-0.4, -0.2], true)],
    combined: comparison('(combined)', [0.1, 0.3]),
    preference: accurate,
    preferenceFloor: 0.5,
  });
  assert.equal(d.verdict, 'rollback');
  assert.match(d.reasons[0]!, /critical rubric safety/);
  assert.match(d.reasons.join('\n'), /although the combined score gained/);
});

test('verdict: ship needs the combined interval above 0 and the preference floor; a drop within tolerance is no regression', () => {
  const base = {
    rubrics: [comparison('safety', [-0.04, 0.01], true)],
    combined: comparison('(combined)', [0.05, 0.2]),
    preferenceFloor: 0.5,
  };
  assert.equal(decide({ ...base, preference: accurate }).verdict, 'ship');
  assert.equal(decide({ ...base, preference: { ...accurate, accuracy: 0.4 } }).verdict, 'hold');
  assert.equal(decide({ ...base, preference: null }).verdict, 'hold');
  const flat = decide({ ...base, combined: comparison('(combined)', [-0.02, 0.03]), preference: accurate });
  assert.equal(flat.verdict, 'hold');
  assert.match(flat.reasons[0]!, /did not clearly improve/);
});
