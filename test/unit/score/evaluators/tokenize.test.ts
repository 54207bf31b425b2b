// The hand-written tokeniser must give exactly what the reference regex gives, on any text.
import assert from 'node:assert/strict';
import test from 'node:test';
import { CHARS } from '../../../../src/score/evaluators/charClasses.js';
import { isBlank, sentences } from '../../../../src/score/evaluators/textBasics.js';
import { contentTerms, countWords, tokenize, words } from '../../../../src/score/evaluators/tokenize.js';
import { textHash } from '../../../../src/score/evaluators/vocabulary.js';

/** The definition `words` implements. */
function reference(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[\u2018\u2019\u02bc]/g, "'")
      .match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? []
  );
}

// Letters and digits of several scripts, astral letters, emoji, combining marks, lone surrogates, apostrophes.
const PALETTE = [
  ...'abcXYZ019 .,!?\n\t-_*#%@$\'"',
  '\u2018',
  '\u2019',
  '\u02bc',
  'é',
  'İ',
  'ß',
  'Σ',
  'ς',
  'ж',
  '東',
  '٣',
  '\u0301',
  '𝐀',
  '😀',
  '\ud800',
  '\udc00',
  'ǅ',
  'ﬁ',
  'Ⅻ',
];

function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

test('words equals the reference regex on 5,000 random texts', () => {
  const r = rng(42);
  for (let n = 0; n < 5000; n++) {
    let text = '';
    const len = Math.floor(r() * 40);
    for (let i = 0; i < len; i++) text += PALETTE[Math.floor(r() * PALETTE.length)]!;
    assert.deepEqual(words(text), reference(text), JSON.stringify(text));
    assert.equal(countWords(text, 3), Math.min(3, reference(text).length), JSON.stringify(text));
  }
});

test('texts of ASCII and general punctuation (read without lower-casing) equal the reference too', () => {
  const palette = [...'aBcXyZ019 .,!?\n-_\'"', '\u2018', '\u2019', '\u2014', '\u2026', '\u201c', '\u2022'];
  const r = rng(7);
  for (let n = 0; n < 5000; n++) {
    let text = '';
    const len = Math.floor(r() * 40);
    for (let i = 0; i < len; i++) text += palette[Math.floor(r() * palette.length)]!;
    assert.deepEqual(words(text), reference(text), JSON.stringify(text));
    const t = tokenize(text);
    assert.equal(t.aligned, true);
    assert.equal(t.digits, (text.match(/\d/g) ?? []).length, JSON.stringify(text));
    for (let k = 0; k < t.words.length; k++)
      assert.equal(reference(text.slice(t.starts[k]))[0], t.words[k]!.text, JSON.stringify(text));
  }
});

test('a word carries the hashes of its text and term (filters rule words out by them)', () => {
  const r = rng(5);
  const palette = [...PALETTE, ..."aBcXyZ019 '", '\u2018', '\u2019'];
  for (let n = 0; n < 3000; n++) {
    let text = '';
    for (let i = Math.floor(r() * 30); i > 0; i--) text += palette[Math.floor(r() * palette.length)]!;
    for (const w of tokenize(text).words) {
      assert.equal(w.hash, textHash(w.text), JSON.stringify(text));
      assert.equal(w.termHash, textHash(w.term), JSON.stringify(text));
    }
  }
});

test('general punctuation has no letter or number and lower-cases to itself', () => {
  for (let c = 0x2000; c <= 0x206f; c++) {
    const ch = String.fromCharCode(c);
    assert.equal(/[\p{L}\p{N}]/u.test(ch), false, c.toString(16));
    assert.equal(ch.toLowerCase(), ch, c.toString(16));
  }
});

test('a stream of unique tokens past the vocabulary bound still tokenises exactly', () => {
  // Short and long (more than ten characters) words, twice each: the second time they are looked up.
  const unique = Array.from({ length: 105_000 }, (_, i) => `W${i.toString(36)}x'S`.repeat(1 + (i % 4)));
  const text = [...unique, ...unique].join(' ');
  assert.deepEqual(words(text), reference(text));
  assert.deepEqual(contentTerms('Documents DOCUMENTS documents'), ['document', 'document', 'document']);
});

test('words handles apostrophes, scripts and case', () => {
  assert.deepEqual(words("Don’t STOP, it's 10:30 — naïve café ΟΔΟΣ 東京 a'5"), [
    "don't",
    'stop',
    "it's",
    '10',
    '30',
    'naïve',
    'café',
    'οδος',
    '東京',
    'a',
    '5',
  ]);
  assert.deepEqual(words(''), []);
});

test('tokenize gives each token its offset; lower-casing that lengthens the text is flagged', () => {
  const t = tokenize('Hi there. Bye');
  assert.deepEqual(
    t.words.map((w) => w.text),
    ['hi', 'there', 'bye'],
  );
  assert.deepEqual(t.starts, [0, 3, 10]);
  assert.equal(t.aligned, true);
  assert.equal(tokenize('İstanbul x').aligned, false);
});

test('contentTerms drops stopwords and stems', () => {
  assert.deepEqual(contentTerms('The documents are running quickly'), ['document', 'runn', 'quick']);
  assert.deepEqual(sentences('One. Two!\n\nThree'), ['One.', 'Two!', 'Three']);
});

test('isBlank is trim() === "", and the CHARS a text has are always reported', () => {
  for (const text of ['', ' ', '\n\t ', '\u00a0', '\u2028', '\ufeff', 'a', ' a', '\u00a0b', '-', '\u2019']) {
    assert.equal(isBlank(text), text.trim() === '', JSON.stringify(text));
  }
  const r = rng(11);
  const palette = [...'ab1Z 5@$*#%-_\n', '\u2018', '\u2019', '\u2014', 'é'];
  for (let n = 0; n < 2000; n++) {
    let text = '';
    for (let i = Math.floor(r() * 12); i > 0; i--) text += palette[Math.floor(r() * palette.length)]!;
    const { chars } = tokenize(text);
    if (/\d/.test(text)) assert.ok(chars & CHARS.digit, JSON.stringify(text));
    if (/[*#%]/.test(text)) assert.ok(chars & CHARS.mask, JSON.stringify(text));
    if (/@/.test(text)) assert.ok(chars & CHARS.at, JSON.stringify(text));
    if (/\$/.test(text)) assert.ok(chars & CHARS.dollar, JSON.stringify(text));
    if (/[-_]/.test(text)) assert.ok(chars & CHARS.dashOrUnderscore, JSON.stringify(text));
    if (/[\u2018\u2019]/.test(text)) assert.ok(chars & CHARS.curly, JSON.stringify(text));
    if (/\p{L}\d|\d\p{L}/u.test(text)) assert.ok(chars & CHARS.letterAndDigit, JSON.stringify(text));
  }
});

test('CHARS.letterAndDigit is reported wherever a digit touches a letter, apostrophes included', () => {
  const r = rng(12);
  const palette = [..."ab1Z5 '.", '\u2018', '\u2019'];
  for (let n = 0; n < 5000; n++) {
    let text = '';
    for (let i = Math.floor(r() * 10); i > 0; i--) text += palette[Math.floor(r() * palette.length)]!;
    if (/\p{L}\d|\d\p{L}/u.test(text))
      assert.ok(tokenize(text).chars & CHARS.letterAndDigit, JSON.stringify(text));
  }
});
