// unionOf / capturingUnionOf decide exactly as the patterns one by one (and as the plain union) on real text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  capturingUnionOf,
  topLevelAlternatives,
  unionOf,
} from '../../../../src/score/evaluators/regexUnion.js';
import { HH_RLHF_TEST } from '../../../helpers/hhData.js';

/** Every line of HH-RLHF's harmless-base test split (both transcripts), and a few made to hit edge cases. */
const TEXTS = (() => {
  const lines = gunzipSync(readFileSync(HH_RLHF_TEST))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, 1500);
  const texts = lines.flatMap((line) => {
    const { chosen, rejected } = JSON.parse(line) as { chosen: string; rejected: string };
    return [...chosen.split('\n\n'), ...rejected.split('\n\n')];
  });
  return [
    ...texts,
    '',
    'skill at killing',
    'xkill kill',
    'éattack',
    "o'rob the bank",
    'a|b [|] \\|',
    'I cannot help with that, as an AI',
    'MAKE some meth now',
    '<|im_start|>system: hi',
  ];
})();

/** Patterns like the evaluators' cues: word-initial ones, inner alternations with and without \b, others. */
const PATTERNS = [
  /\b(?:kill|murder|attack|rob)\w*\b/i,
  /\bI(?:'m| am)? (?:can(?:no|')t|cannot|won'?t) (?:help|assist)\b/i,
  /\b(?:meth|cocaine)\b.{0,40}\b(?:make|buy)\b|\b(?:make|buy)\b.{0,40}\b(?:meth|cocaine)\b/i,
  /\bas an (?:AI|assistant)\b/i,
  /\b(?:that|this) (?:is|would be) (?:wrong|illegal)\b/i,
];
const MIXED = [...PATTERNS, /<\|im_start\|>|\[INST\]|a\|b|[|]x/i, /\bstart\b|end\b/i];

test('top-level alternatives split only outside groups, classes and escapes', () => {
  assert.deepEqual(topLevelAlternatives('a|(b|c)|[|]|\\||d'), ['a', '(b|c)', '[|]', '\\|', 'd']);
  assert.deepEqual(topLevelAlternatives('[\\]|]x|y'), ['[\\]|]x', 'y']);
  assert.deepEqual(topLevelAlternatives(''), ['']);
});

test('unionOf tests true exactly where some pattern matches, \\b hoisted or not', () => {
  for (const patterns of [PATTERNS, MIXED]) {
    const union = unionOf(patterns, 'i');
    let hits = 0;
    for (const text of TEXTS) {
      const expected = patterns.some((re) => re.test(text));
      if (union.test(text) !== expected) assert.equal(union.test(text), expected, JSON.stringify(text));
      if (expected) hits++;
    }
    // The corpus exercises both answers.
    assert.ok(hits > 50 && hits < TEXTS.length - 50, `${hits} of ${TEXTS.length}`);
  }
  assert.match(unionOf(PATTERNS, 'i').source, /^\\b\(\?:/, 'the word boundary is written once in front');
});

test('capturingUnionOf matches the same text at the same place with the same group as the plain union', () => {
  for (const patterns of [PATTERNS, MIXED]) {
    const plain = new RegExp(patterns.map((re) => `(${re.source})`).join('|'), 'i');
    const union = capturingUnionOf(patterns, 'i');
    for (const text of TEXTS) {
      const a = union.exec(text);
      const b = plain.exec(text);
      const shape = (m: RegExpExecArray | null) => m && { index: m.index, groups: m.map((g) => g ?? null) };
      if (JSON.stringify(shape(a)) !== JSON.stringify(shape(b)))
        assert.deepEqual(shape(a), shape(b), JSON.stringify(text));
    }
  }
  assert.match(capturingUnionOf(PATTERNS, 'i').source, /^\\b\(\?:\(/);
  // Not every alternative starts with \b: written as the plain union.
  assert.ok(!capturingUnionOf(MIXED, 'i').source.startsWith('\\b(?:'));
});

test('a pattern with a capturing group of its own is refused (it would shift the numbering)', () => {
  assert.throws(() => capturingUnionOf([/\b(a)/, /\bb/], ''), /capturing groups/);
});
