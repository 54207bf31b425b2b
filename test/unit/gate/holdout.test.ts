// The hold-out reader takes back every export format (written by the export's own formatters).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatKto, formatPair } from '../../../src/export/formats.js';
import type { KtoRow, PairRow } from '../../../src/export/formats.js';
import { HoldoutError, readHoldout } from '../../../src/gate/holdout.js';
import type { Holdout } from '../../../src/gate/holdout.js';
import { rubricVersionCheck } from '../../../src/gate/rubricVersions.js';
import { parseRubricFile } from '../../../src/score/RubricFile.js';
import { parseTranscript } from '../../../src/gate/transcriptText.js';

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

test('rubric versions: the same say nothing; another version or a rubric the file dropped warns, naming both', () => {
  const set = parseRubricFile(
    `rubrics:
  - {id: completeness, evaluator: completeness, version: "2", threshold: 0.5}
  - {id: length, evaluator: length, version: "1", params: {min: 1, max: 9}, threshold: 0.5}
`,
  );
  const holdout = (versions: string[]): Holdout => ({
    path: '/x/holdout.jsonl',
    hash: 'h',
    format: 'dpo',
    records: 1,
    prompts: [],
    pairs: [],
    manifest: { path: '/x/manifest.json', hash: 'm', rubricVersions: versions },
  });
  const same = rubricVersionCheck(holdout(['completeness@2', 'length@1']), set, 'r.yaml');
  assert.equal(same.warning, undefined);
  assert.deepEqual(same.used, ['completeness@2', 'length@1']);
  const other = rubricVersionCheck(holdout(['completeness@1', 'tone@3']), set, 'r.yaml');
  assert.match(
    other.warning!,
    /exported under other rubric versions \(completeness@1, tone@3, per \/x\/manifest\.json\); the gate scores with r\.yaml \(rubric file version [0-9a-f]+\): completeness@2, tone \(no longer in the file\)/,
  );
  const { manifest: _, ...bare } = holdout([]);
  assert.match(
    rubricVersionCheck(bare, set, 'r.yaml').warning!,
    /no manifest\.json beside \/x\/holdout\.jsonl/,
  );
});
