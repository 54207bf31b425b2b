// The tokenizer's fast path: texts of ASCII and general punctuation, scanned as they are, words hashed on the way.
import {
  APOSTROPHE,
  ASCII_BITS,
  ASCII_CLASS,
  CHARS,
  DIGITS_SHIFT,
  KEY_CODE,
  LEFT_QUOTE,
  MAX_DIGIT_COUNT,
  PUNCT_FIRST,
  PUNCT_LAST,
  RIGHT_QUOTE,
  WORD,
} from './charClasses.js';
import { HASH_PRIME, HASH_SEED, intern, KEY_BASE, KEY_MAX_LENGTH, NO_KEY, type Word } from './vocabulary.js';

/**
 * `scan` on the text as it is, for texts of ASCII and general punctuation only: ASCII lower-cases by one bit
 * and ' ' (U+2018, U+2019) straighten to an apostrophe, so neither the lower-cased copy nor the replace is
 * needed. Each token is hashed as it is read and looked up in the vocabulary without slicing it. Returns the
 * CHARS bits seen plus the digits counted << DIGITS_SHIFT, or -1, leaving `out` partly filled, at the first
 * other character (the caller starts over the full way).
 */
export function scanPlain(s: string, out: Word[], starts: number[] | null): number {
  const n = s.length;
  let seen = 0;
  let digits = 0;
  let i = 0;
  while (i < n) {
    let c = s.charCodeAt(i);
    if (c >= 128) {
      if (c < PUNCT_FIRST || c > PUNCT_LAST) return -1;
      if (c === RIGHT_QUOTE || c === LEFT_QUOTE) seen |= CHARS.curly;
      i++;
      continue;
    }
    let bits = ASCII_BITS[c]!;
    seen |= bits;
    if ((bits & WORD) === 0) {
      i++;
      continue;
    }
    const start = i;
    let h = HASH_SEED;
    let key = 0;
    let kinds = 0;
    // Letters and digits (`bits` is always the current character's); `| 0x20` lower-cases a letter and
    // leaves digits as they are. Every read is in bounds (the end reads as NUL): charCodeAt past the end
    // answers NaN, which the optimised loop then has to allow for (a bare hashing loop ran ~25% slower for
    // it; tokenising took 2.5% fewer instructions with the bound).
    for (;;) {
      kinds |= bits;
      h = Math.imul(h ^ (c | 0x20), HASH_PRIME);
      key = key * KEY_BASE + KEY_CODE[c]!;
      c = ++i < n ? s.charCodeAt(i) : 0;
      if (c >= 128 || ((bits = ASCII_BITS[c]!) & WORD) === 0) break;
    }
    // Letters are class 1 and digits class 2 (= CHARS.digit): a token with both has all of WORD.
    seen |= kinds === WORD ? kinds | CHARS.letterAndDigit : kinds;
    // Every digit of the text is in some token; most tokens have none, and are not read again.
    if ((kinds & CHARS.digit) !== 0) digits += digitsIn(s, start, i);
    // An apostrophe followed by letters (not digits) belongs to the word: "don't", "it’s".
    if (c === APOSTROPHE || c === RIGHT_QUOTE || c === LEFT_QUOTE) {
      if (c !== APOSTROPHE) seen |= CHARS.curly; // the word may take it in, and the loop above not see it
      let d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (d < 128 && ASCII_CLASS[d] === 1) {
        h = Math.imul(h ^ APOSTROPHE, HASH_PRIME);
        key = key * KEY_BASE + KEY_CODE[APOSTROPHE]!;
        i++;
        do {
          h = Math.imul(h ^ (d | 0x20), HASH_PRIME);
          key = key * KEY_BASE + KEY_CODE[d]!;
          d = ++i < n ? s.charCodeAt(i) : 0;
        } while (d < 128 && ASCII_CLASS[d] === 1);
        // A digit right after these letters starts the next token, but touches a letter all the same.
        if (d < 128 && ASCII_CLASS[d] === 2) seen |= CHARS.letterAndDigit;
      }
    }
    out.push(intern(s, start, i, h, i - start <= KEY_MAX_LENGTH ? key : NO_KEY));
    starts?.push(start);
  }
  // Capped where the reader's `>>> DIGITS_SHIFT` would wrap: past 2^24 digits a count of 5 would be read back,
  // and detectors gated on at least 13 digits would be skipped; only counts up to 13 matter.
  return seen + Math.min(digits, MAX_DIGIT_COUNT) * (1 << DIGITS_SHIFT);
}

/** The ASCII digits in `s[from, to)`. */
export function digitsIn(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (ASCII_CLASS[s.charCodeAt(i)] === 2) n++;
  return n;
}
