// Small text helpers the deterministic evaluators share: word tokens, light stemming, sentences.

/** Words that carry no content; ignored when comparing an answer with a question or documents. */
const STOPWORDS = new Set(
  (
    'a an the and or but if then else of to in on at by for with from into onto about as is are was were be ' +
    "been being am do does did doing have has had having it its it's this that these those there here i me my " +
    'mine you your yours he him his she her hers we us our ours they them their theirs what which who whom ' +
    'whose when where why how can could should would will shall may might must not no nor so than too very ' +
    'just also any some all each every both few more most other such only own same s t don doesn didn won ' +
    'isn aren wasn weren up down out over under again further once get got like one yes ok okay well really ' +
    'please thanks thank know think want make let'
  ).split(' '),
);

/**
 * Lower-cased word tokens (letters, digits, inner apostrophes): the matches of
 * `/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu` on the lower-cased text with typographic apostrophes straightened.
 * A hand-written scanner because tokenising is most of the scoring cost; a unit test holds it to the regex.
 */
export function words(text: string): string[] {
  const tokens: string[] = [];
  scan(normalizeForWords(text), tokens, null);
  return tokens;
}

/** A text's tokens with where each starts in the text; `aligned` is false when lower-casing moved offsets. */
export interface Tokenized {
  tokens: string[];
  starts: number[];
  aligned: boolean;
}

/** `words(text)` plus each token's start offset in `text` (when `aligned`). */
export function tokenize(text: string): Tokenized {
  const s = normalizeForWords(text);
  const tokens: string[] = [];
  const starts: number[] = [];
  scan(s, tokens, starts);
  // Lower-casing can lengthen a text ("İ" becomes two code units); offsets then no longer point into it.
  return { tokens, starts, aligned: s.length === text.length };
}

/** How many tokens `words(text)` has, counting no further than `limit`. */
export function countWords(text: string, limit: number): number {
  return scan(normalizeForWords(text), null, null, limit);
}

const CURLY_ALL = /[\u2018\u2019\u02bc]/g;

/** One replace, no test first: most texts with a curly apostrophe would be scanned twice. */
function normalizeForWords(text: string): string {
  return text.toLowerCase().replace(CURLY_ALL, "'");
}

/** Letters and digits for ASCII, as a table: 1 letter, 2 digit, 0 neither. */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = 2;
for (let c = 65; c <= 90; c++) ASCII_CLASS[c] = 1;
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = 1;
const WORD_CHAR = /[\p{L}\p{N}]/uy;
const LETTER = /\p{L}/uy;
const APOSTROPHE = 39;

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
function scan(s: string, tokens: string[] | null, starts: number[] | null, limit = Infinity): number {
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
      const c = s.charCodeAt(i);
      if (c < 128 && ASCII_CLASS[c] !== 0) i++;
      else if (c >= 128 && i < n && (w = wordCharAt(s, i, false)) > 0) i += w;
      else break;
    }
    if (i + 1 < n && s.charCodeAt(i) === APOSTROPHE && (w = wordCharAt(s, i + 1, true)) > 0) {
      i += 1 + w;
      while (i < n && (w = wordCharAt(s, i, true)) > 0) i += w;
    }
    count++;
    tokens?.push(s.slice(start, i));
    starts?.push(start);
  }
  return count;
}

/** A crude suffix stripper: enough to match "documents" with "document" and "running" with "run". */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const suffix of ['ingly', 'edly', 'ing', 'ies', 'ied', 'es', 'ed', 'ly', 's']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      const base = word.slice(0, -suffix.length);
      return suffix === 'ies' || suffix === 'ied' ? base + 'y' : base;
    }
  }
  return word;
}

/** Stemmed content words (no stopwords, no single letters). */
export function contentTerms(text: string): string[] {
  const tokens = scratchTokens(text);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = termOf(tokens[i]!);
    if (t !== '') out.push(t);
  }
  return out;
}

/** `new Set(contentTerms(text))`, without the intermediate arrays. */
export function contentTermSet(text: string): Set<string> {
  const tokens = scratchTokens(text);
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = termOf(tokens[i]!);
    if (t !== '') out.add(t);
  }
  return out;
}

/**
 * One token array reused by the term functions above: they only read the tokens before returning, and a
 * fresh array per text was a measurable share of tokenising context documents. Callers must not keep it.
 */
const SCRATCH: string[] = [];

function scratchTokens(text: string): readonly string[] {
  SCRATCH.length = 0;
  scan(normalizeForWords(text), SCRATCH, null);
  return SCRATCH;
}

/** contentTerms over an already tokenised text (the output of `words`), or its tokens `from` to `to`. */
export function contentTermsOf(tokens: readonly string[], from = 0, to = tokens.length): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const t = termOf(tokens[i]!);
    if (t !== '') out.push(t);
  }
  return out;
}

/**
 * Word → content term ('' for a stopword or single letter), memoised: vocabularies are small and stemming
 * every token of every span was a large share of scoring time. Bounded so that a stream of unique tokens
 * (ids, hashes) cannot grow it without limit.
 */
const TERMS = new Map<string, string>();
const TERMS_MAX = 200_000;

function termOf(w: string): string {
  let t = TERMS.get(w);
  if (t !== undefined) return t;
  if (w.length < 2 || STOPWORDS.has(w)) t = '';
  else {
    const quote = w.indexOf("'");
    t = stem(quote === -1 ? w : w.slice(0, quote));
  }
  if (TERMS.size >= TERMS_MAX) TERMS.clear();
  TERMS.set(w, t);
  return t;
}

/** Sentences, split on terminal punctuation and line breaks; empty pieces dropped. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Clamps to [0, 1] and rounds to 4 decimals so that scores print and compare stably. */
export function unit(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return Math.round(Math.min(1, Math.max(0, x)) * 10000) / 10000;
}
