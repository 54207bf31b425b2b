// `prefloop pairs` text: exact margin bins that add up, why each contradiction was left out, rubric agreement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contradictionReason } from '../../../src/export/contradictionReasons.js';
import { formatKto } from '../../../src/export/formats.js';
import { formatPairsSummary, marginHistogram } from '../../../src/export/pairsSummary.js';

test('margin bins count every pair once: their counts add up to the pairs', () => {
  // Bins 1 ([.., 0.1)), 4 ([0.5, 0.75)), 6 ([1, 1.5)) and 8 ([2, ..)).
  const h = marginHistogram(
    [
      [1, 4, 6, 8],
      ['2', '3', '4', '5'],
    ],
    0.05,
    2,
  );
  assert.deepEqual(h, [
    [0.05, 0.1, 2],
    [0.5, 0.75, 3],
    [1, 1.5, 4],
    [2, 2, 5],
  ]);
  assert.equal(
    h.reduce((n, b) => n + b[2], 0),
    14,
  );
});

test('each contradiction says which source won and what both sides rested on', () => {
  const overridden = contradictionReason({
    resolution: 'overridden',
    keptSource: 'feedback',
    leftOut: ['rubric'],
    promptClass: 'support',
    evidence: [
      {
        source: 'feedback',
        chosen_span_id: 'a',
        rejected_span_id: 'b',
        margin: 1.5,
        kept: true,
        metadata: { chosen_ups: 4, chosen_downs: 0, rejected_ups: 1, rejected_downs: 3 },
      },
      {
        source: 'rubric',
        chosen_span_id: 'b',
        rejected_span_id: 'a',
        margin: 0.4,
        kept: false,
        metadata: { chosen_score: 1, rejected_score: 0.6, noise_floor: 0.1 },
      },
    ],
  });
  assert.equal(
    overridden,
    'prompt class support: feedback (4 up/0 down against 1 up/3 down) outranks rubric (score 1 against 0.60, gap 0.40, noise floor 0.10): rubric left out',
  );
  const text = formatPairsSummary({
    total: 1,
    bySource: {},
    marginQuantiles: [],
    marginHistogram: [],
    contradictions: 2,
    unresolved: 1,
    unmatchedFeedback: 3,
    contradictionSamples: [
      {
        resolution: 'unresolved',
        keptSource: '',
        leftOut: ['feedback'],
        promptClass: '',
        evidence: [
          {
            source: 'feedback',
            chosen_span_id: 'a',
            rejected_span_id: 'b',
            margin: 2,
            kept: false,
            metadata: { chosen_ups: 1, chosen_downs: 0, rejected_ups: 0, rejected_downs: 1 },
          },
        ],
      },
    ],
    rubricAgreement: [
      {
        rubricId: 'groundedness',
        rubricVersion: '3',
        currentCombination: false,
        humanPairs: 9,
        scored: 0,
        separated: 0,
        agreed: 0,
        agreement: null,
        lower: 0,
        upper: 0,
        floor: 0.5,
        status: 'unknown',
      },
    ],
    kto: { desirable: 0, undesirable: 0 },
  });
  assert.match(text, /1 kept the higher source's pair .*, 1 unresolved/);
  assert.match(text, /feedback matching no stored span: 3/);
  assert.match(text, /groundedness@3 +n\/a +- +0\/0 +50\.0% +unknown/);
  assert.match(
    text,
    /why contradictions were left out \(first 1\):\n {2}feedback prefer each answer in turn/,
  );
});

test('kto-chat: the prompt as messages and the completion as a one-message assistant list', () => {
  const row = {
    span_id: 's',
    prompt_hash: 'h',
    prompt_class: 'c',
    prompt: JSON.stringify([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi?' },
    ]),
    completion: 'hello',
    label: true,
    kind: 'thumbs',
    agreement: 1,
    created_ms: 0,
  };
  const chat = formatKto(row, 'kto-chat');
  assert.deepEqual(chat.prompt, [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'hi?' },
  ]);
  assert.deepEqual(chat.completion, [{ role: 'assistant', content: 'hello' }]);
  assert.equal(chat.label, true);
  assert.equal(typeof formatKto(row).prompt, 'string');
});
