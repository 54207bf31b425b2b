// Export formats, transcript rendering, hold-out split and filter parameters: pure, no engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterParams } from '../../../src/export/exportFilters.js';
import { formatKto, formatPair } from '../../../src/export/formats.js';
import type { KtoRow, PairRow } from '../../../src/export/formats.js';
import { holdoutBucket, isHoldout } from '../../../src/export/holdoutSplit.js';
import { renderPrompt, renderTranscript } from '../../../src/export/transcript.js';
import { formatPairsSummary } from '../../../src/export/pairsSummary.js';

const prompt = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: ' Hi  there\n' },
  { role: 'assistant', content: 'Hello.' },
  { role: 'user', content: 'Capital of France?' },
];
const row: PairRow = {
  pair_id: 'p1',
  source: 'feedback',
  sources: ['feedback', 'judge'],
  prompt: JSON.stringify(prompt),
  chosen: 'Paris.',
  rejected: ' Lyon ',
  margin: 2,
  prompt_class: 'geo',
  prompt_hash: 'h1',
  chosen_span_id: 'c',
  rejected_span_id: 'r',
  created_ms: '1704067200000',
  agreement: 1,
  rubric_versions: ['pairwise@3'],
  metadata: '{"feedback":{"annotator_agreement":1}}',
};

test('hh renders whole transcripts with content untouched (whitespace kept)', () => {
  const hh = formatPair('hh', row);
  assert.deepEqual(Object.keys(hh), ['chosen', 'rejected']);
  assert.equal(
    hh.chosen,
    '\n\nSystem: Be brief.\n\nHuman:  Hi  there\n\n\nAssistant: Hello.\n\nHuman: Capital of France?\n\nAssistant: Paris.',
  );
  assert.ok((hh.rejected as string).endsWith('\n\nAssistant:  Lyon '));
  assert.equal(renderTranscript([{ role: 'user', content: 'q' }], ''), '\n\nHuman: q\n\nAssistant: ');
});

test('dpo: prompt is role-labelled text ending with the assistant cue; metadata rides along', () => {
  const dpo = formatPair('dpo', row);
  assert.equal(dpo.prompt, renderPrompt(prompt));
  assert.ok((dpo.prompt as string).endsWith('\n\nHuman: Capital of France?\n\nAssistant:'));
  assert.equal(`${dpo.prompt as string} ${dpo.chosen as string}`, formatPair('hh', row).chosen);
  assert.equal(dpo.chosen, 'Paris.');
  assert.deepEqual(dpo.sources, ['feedback', 'judge']);
  assert.equal(dpo.created, '2024-01-01T00:00:00.000Z');
  assert.deepEqual(dpo.metadata, { feedback: { annotator_agreement: 1 } });
});

test('dpo-chat: TRL conversational shape', () => {
  const chat = formatPair('dpo-chat', row);
  assert.deepEqual(chat.prompt, prompt);
  assert.deepEqual(chat.chosen, [{ role: 'assistant', content: 'Paris.' }]);
  assert.deepEqual(chat.rejected, [{ role: 'assistant', content: ' Lyon ' }]);
});

test('kto: prompt text, completion, boolean label', () => {
  const k: KtoRow = {
    span_id: 's',
    prompt_hash: 'h',
    prompt_class: 'h',
    prompt: JSON.stringify([{ role: 'user', content: 'q' }]),
    completion: 'a',
    label: false,
    kind: 'thumbs',
    agreement: 1,
    created_ms: 0,
  };
  const out = formatKto(k);
  assert.equal(out.prompt, '\n\nHuman: q\n\nAssistant:');
  assert.equal(out.completion, 'a');
  assert.equal(out.label, false);
});

test('a bad prompt names the pair', () => {
  assert.throws(() => formatPair('dpo', { ...row, prompt: '{"x":1}' }), /pair p1/);
  assert.throws(() => formatPair('dpo', { ...row, prompt: '[{"role":1}]' }), /message 0 of pair p1/);
});

test('hold-out split: deterministic, by prompt hash, close to the fraction, monotone in it', () => {
  const hashes = Array.from({ length: 20_000 }, (_, i) => `prompt-${i}`);
  const held = hashes.filter((h) => isHoldout(h, 0.1));
  assert.ok(held.length > 1800 && held.length < 2200, `${held.length} held out`);
  assert.deepEqual(
    hashes.filter((h) => isHoldout(h, 0.1)),
    held,
  );
  assert.equal(holdoutBucket('abc'), holdoutBucket('abc'));
  // Growing the hold-out only moves prompts from train to hold-out.
  assert.ok(held.every((h) => isHoldout(h, 0.2)));
  assert.equal(hashes.filter((h) => isHoldout(h, 0)).length, 0);
  assert.equal(hashes.filter((h) => isHoldout(h, 1)).length, hashes.length);
});

test('filters become typed parameters; bad options are all listed', () => {
  const p = filterParams({
    sources: ['feedback', 'judge'],
    minMargin: 0.5,
    since: new Date('2024-01-01T00:00:00Z'),
    agreementBand: 'train',
    promptClass: "it's",
  });
  assert.equal(p.sources, 'feedback,judge');
  assert.equal(p.min_margin, 0.5);
  assert.equal(p.since_ms, 1704067200000);
  assert.equal(p.agreement_min, 0.7);
  assert.equal(p.prompt_class, "it's");
  assert.throws(
    () => filterParams({ sources: ['nope' as 'judge'], minMargin: Number.NaN, since: new Date('x') }),
    (err: Error) =>
      /unknown source "nope"/.test(err.message) && /minMargin/.test(err.message) && /since/.test(err.message),
  );
});

test('the summary text shows counts, quantiles and a histogram', () => {
  const text = formatPairsSummary({
    total: 3,
    bySource: { feedback: { pairs: 3, foundBy: 3, marginQuantiles: [1, 1, 2, 2, 2], marginHistogram: [] } },
    marginQuantiles: [1, 1, 2, 2, 2],
    marginHistogram: [
      [1, 1.5, 1],
      [1.5, 2, 2],
    ],
    contradictions: 1,
    kto: { desirable: 2, undesirable: 1 },
  });
  assert.match(text, /preference pairs: 3 {3}contradictions left out: 1/);
  assert.match(text, /feedback {6}3 {9}3 {2}1 \/ 1 \/ 2 \/ 2 \/ 2/);
  assert.match(text, /#{30}/);
});
