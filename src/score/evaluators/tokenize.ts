// Word tokens of a text (letters, digits, inner apostrophes), as shared vocabulary Words with their starts.
import {
  ALL_CHARS,
  APOSTROPHE,
  ASCII_CLASS,
  CURLY_ALL,
  DIGITS_SHIFT,
  LETTER,
  WORD_CHAR,
} from './charClasses.js';
import { scanPlain } from './scanPlain.js';
import { hashOf, intern, keyOf, type Word } from './vocabulary.js';

/**
 * Lower-cased word tokens (letters, digits, inner apostrophes): the matches of
 * `/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu` on the lower-cased text with typographic apostrophes straightened.
 * A hand-written scanner because tokenising is most of the scoring cost; a unit test holds it to the regex.
 */
export function words(text: string): string[] {
  return wordsOf(text).map((w) => w.text);
}

/** The tokens of `text` as vocabulary words (see `words`). */
export function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  scanWords(text, out, null);
  return out;
}

/** A text's tokens with where each starts in the text; `aligned` is false when lower-casing moved offsets. */
export interface Tokenized {
  words: Word[];
  starts: number[];
  aligned: boolean;
  /**
   * Which of the CHARS classes occur in the text (a bit may be set for one that does not; never the other
   * way round): evaluators skip a regex for characters the text cannot have.
   */
  chars: number;
  /** How many ASCII digits the text has; -1 when not counted (then `chars` is ALL_CHARS). */
  digits: number;
}

/** `wordsOf(text)` plus each token's start offset in `text` (when `aligned`). */
export function tokenize(text: string): Tokenized {
  const out: Word[] = [];
  const starts: number[] = [];
  const scanned = scanPlain(text, out, starts);
  if (scanned !== -1)
    return { words: out, starts, aligned: true, chars: scanned & 0xff, digits: scanned >>> DIGITS_SHIFT };
  out.length = 0;
  starts.length = 0;
  return { words: out, starts, aligned: scanNormalized(text, out, starts), chars: ALL_CHARS, digits: -1 };
}

/** How many tokens `words(text)` has, counting no further than `limit`. */
export function countWords(text: string, limit: number): number {
  return scan(normalizeForWords(text), null, null, limit);
}

/**
 * Appends the tokens of `text` (and their starts) to `out`; returns whether the starts are offsets in `text`.
 * Texts of ASCII and general punctuation (curly quotes, dashes, bullets: most model output) are read as
 * they are; any other text is lower-cased and straightened first, as the definition says.
 */
function scanWords(text: string, out: Word[], starts: number[] | null): boolean {
  const n = out.length;
  if (scanPlain(text, out, starts) !== -1) return true;
  out.length = n;
  if (starts) starts.length = n;
  return scanNormalized(text, out, starts);
}

/** `scan` of the lower-cased, straightened text; returns whether its offsets are offsets in `text`. */
function scanNormalized(text: string, out: Word[], starts: number[] | null): boolean {
  const s = normalizeForWords(text);
  scan(s, out, starts);
  // Lower-casing can lengthen a text ("İ" becomes two code units); offsets then no longer point into it.
  return s.length === text.length;
}

/** One replace, no test first: most texts with a curly apostrophe would be scanned twice. */
function normalizeForWords(text: string): string {
  return text.toLowerCase().replace(CURLY_ALL, "'");
}

/** Code units of the letter (or, unless `lettersOnly`, number) starting at `i`; 0 when there is none. */
function wordCharAt(s: string, i: number, lettersOnly: boolean): number {
  const c = s.charCodeAt(i);
  if (c < 128) {
    const k = ASCII_CLASS[c]!;
    return k === 1 || (k === 2 && !lettersOnly) ? 1 : 0;
  }
  const re = lettersOnly ? LETTER : WORD_CHAR;
  re.lastIndex = i;
  return re.test(s) ? re.lastIndex - i : 0;
}

/** Code units of the code point at `i` (2 for a surrogate pair). */
function codePointLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
}

/** Walks the tokens of a normalised text, collecting them (and their starts) or only counting up to `limit`. */
function scan(s: string, tokens: Word[] | null, starts: number[] | null, limit = Infinity): number {
  const n = s.length;
  let count = 0;
  let i = 0;
  while (i < n && count < limit) {
    let w = wordCharAt(s, i, false);
    if (w === 0) {
      i += codePointLength(s, i);
      continue;
    }
    const start = i;
    i += w;
    for (;;) {
      // ASCII letters and digits inline: most text is ASCII, and this loop runs once per character.
      const c = i < n ? s.charCodeAt(i) : 0; // in bounds: see scanPlain
      if (c < 128 && ASCII_CLASS[c] !== 0) i++;
      else if (c >= 128 && i < n && (w = wordCharAt(s, i, false)) > 0) i += w;
      else break;
    }
    if (i + 1 < n && s.charCodeAt(i) === APOSTROPHE && (w = wordCharAt(s, i + 1, true)) > 0) {
      i += 1 + w;
      while (i < n && (w = wordCharAt(s, i, true)) > 0) i += w;
    }
    count++;
    tokens?.push(intern(s, start, i, hashOf(s, start, i), keyOf(s, start, i)));
    starts?.push(start);
  }
  return count;
}

/** Stemmed content words (no stopwords, no single letters). */
export function contentTerms(text: string): string[] {
  const tokens = scratchWords(text);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.term;
    if (t !== '') out.push(t);
  }
  return out;
}

/** `new Set(contentTerms(text))`, without the intermediate arrays. */
export function contentTermSet(text: string): Set<string> {
  const tokens = scratchWords(text);
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.term;
    if (t !== '') out.add(t);
  }
  return out;
}

/**
 * One token array reused by the term functions above: they only read the tokens before returning, and a
 * fresh array per text was a measurable share of tokenising context documents. Callers must not keep it.
 */
const SCRATCH: Word[] = [];

function scratchWords(text: string): readonly Word[] {
  SCRATCH.length = 0;
  scanWords(text, SCRATCH, null);
  return SCRATCH;
}

/** The content terms of `tokens` from `from` to `to`, in order. */
export function termsOf(tokens: readonly Word[], from = 0, to = tokens.length): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const t = tokens[i]!.term;
    if (t !== '') out.push(t);
  }
  return out;
}
