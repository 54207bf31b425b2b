// Small text helpers the deterministic evaluators share: word tokens, light stemming, sentences.
import { growKernelMemory, instantiateKernel, type KernelMemory } from '../../wasmModule.js';
import { TOKEN_KERNEL_WASM } from './tokenKernel.wasm.js';

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
 * A token of the vocabulary: the lower-cased word and its content term. Every text's tokens are looked up in
 * one table while they are scanned, so a word seen before costs no new string, no second lookup for its
 * term, and its string (with its hash cached by V8) is the same object in every span: later Map lookups on
 * it are cheap too.
 */
export interface Word {
  /** The token, as `words` gives it. */
  readonly text: string;
  /** Its stemmed content term; '' for a stopword or a single character. */
  readonly term: string;
  /** `textHash(text)`: a lookup can rule the word out by this number without reading its text. */
  readonly hash: number;
  /** `textHash(term)`. */
  readonly termHash: number;
}

/** The hash the vocabulary keeps of a token (FNV-1a of its code units), for HashFilters of known texts. */
export function textHash(text: string): number {
  return hashOf(text, 0, text.length);
}

/**
 * A set of hashes that may answer yes wrongly but never no wrongly (one bit per hash, a Bloom filter with a
 * single function): a test on a Word's hash that saves most exact lookups, which would read the word's
 * strings, wherever few words can match.
 */
export class HashFilter {
  private readonly bits: Int32Array;
  private readonly mask: number;

  /** 2^log2Bits bits; keep it well above the number of hashes added (a few per cent false yes). */
  constructor(log2Bits: number) {
    this.bits = new Int32Array(1 << (log2Bits - 5));
    this.mask = this.bits.length - 1;
  }

  add(hash: number): void {
    this.bits[(hash >>> 5) & this.mask]! |= 1 << (hash & 31);
  }

  mayHave(hash: number): boolean {
    return (this.bits[(hash >>> 5) & this.mask]! & (1 << (hash & 31))) !== 0;
  }

  clear(): void {
    this.bits.fill(0);
  }
}

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

/** Character classes a text may contain, as Tokenized.chars reports them. */
export const CHARS = {
  /** An ASCII digit. */
  digit: 2,
  /** One of * # %. */
  mask: 4,
  /** @. */
  at: 8,
  /** $. */
  dollar: 16,
  /** - or _. */
  dashOrUnderscore: 32,
  /** A typographic apostrophe ‘ or ’ (U+2018, U+2019). */
  curly: 64,
  /**
   * A digit next to a letter ("sh1t", "2nd"): within a token, or after an apostrophe's letters ("it's5").
   */
  letterAndDigit: 128,
} as const;
/** Tokenized.chars of a text whose characters were not recorded: any class may occur. */
export const ALL_CHARS = 0xff;

/** What a scan recorded of a text's characters, as Tokenized has it. */
export type CharScan = Pick<Tokenized, 'chars' | 'digits'>;
/** The CharScan of a text that was not scanned. */
export const UNSCANNED: CharScan = Object.freeze({ chars: ALL_CHARS, digits: -1 });

/** `wordsOf(text)` plus each token's start offset in `text` (when `aligned`). */
export function tokenize(text: string): Tokenized {
  return tokenizeBy(text, kernelScan);
}

/** `tokenize` without the WebAssembly kernel (the tests hold the two together). */
export function portableTokenize(text: string): Tokenized {
  return tokenizeBy(text, scanPlain);
}

function tokenizeBy(text: string, plain: typeof scanPlain): Tokenized {
  const out: Word[] = [];
  const starts: number[] = [];
  const scanned = plain(text, out, starts);
  if (scanned !== -1)
    return { words: out, starts, aligned: true, chars: scanned & 0xff, digits: scanned >>> DIGITS_SHIFT };
  out.length = 0;
  starts.length = 0;
  return { words: out, starts, aligned: scanNormalized(text, out, starts), chars: ALL_CHARS, digits: -1 };
}

/** Whether `text.trim() === ''`, without trimming a text that starts with a visible ASCII character. */
export function isBlank(text: string): boolean {
  const c = text.charCodeAt(0);
  return c > 32 && c < 127 ? false : text.trim() === '';
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
  if (kernelScan(text, out, starts) !== -1) return true;
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
/** ASCII_CLASS plus the CHARS bits of the other characters (their low two bits stay 0: not a word). */
const ASCII_BITS = ASCII_CLASS.slice();
for (const ch of '*#%') ASCII_BITS[ch.charCodeAt(0)] = CHARS.mask;
ASCII_BITS['@'.charCodeAt(0)] = CHARS.at;
ASCII_BITS['$'.charCodeAt(0)] = CHARS.dollar;
for (const ch of '-_') ASCII_BITS[ch.charCodeAt(0)] = CHARS.dashOrUnderscore;
const WORD = 3;
const WORD_CHAR = /[\p{L}\p{N}]/uy;
const LETTER = /\p{L}/uy;
const APOSTROPHE = 39;
/** Key digit of a token character: 1–10 digits, 11–36 letters (either case), 37 apostrophe; 0 none. */
const KEY_CODE = new Uint8Array(128);
for (let c = 48; c <= 57; c++) KEY_CODE[c] = c - 47;
for (let c = 97; c <= 122; c++) KEY_CODE[c] = KEY_CODE[c - 32] = c - 86;
KEY_CODE[APOSTROPHE] = 37;
const LEFT_QUOTE = 0x2018;
const RIGHT_QUOTE = 0x2019;
/**
 * The General Punctuation block (U+2000–U+206F): no letter or number in it, and lower-casing leaves it
 * unchanged (a unit test checks every code point), so outside a word it is plain punctuation.
 */
const PUNCT_FIRST = 0x2000;
const PUNCT_LAST = 0x206f;

/** scanPlain returns the digits it counted shifted by this much, above the CHARS bits. */
const DIGITS_SHIFT = 8;
/** The largest digit count packed with the character classes (24 bits above them, read with `>>>`). */
const MAX_DIGIT_COUNT = 2 ** (32 - DIGITS_SHIFT) - 1;

/**
 * `scan` on the text as it is, for texts of ASCII and general punctuation only: ASCII lower-cases by one bit
 * and ' ' (U+2018, U+2019) straighten to an apostrophe, so neither the lower-cased copy nor the replace is
 * needed. Each token is hashed as it is read and looked up in the vocabulary without slicing it. Returns the
 * CHARS bits seen plus the digits counted << DIGITS_SHIFT, or -1, leaving `out` partly filled, at the first
 * other character (the caller starts over the full way).
 */
function scanPlain(s: string, out: Word[], starts: number[] | null): number {
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

/**
 * The tokenizer's kernel (tokenKernel.wat): scanPlain's character loop as WebAssembly, over the text's UTF-16
 * code units. Why: a JavaScript loop over a string's characters costs ~70 instructions a character in this
 * V8 (charCodeAt, typed-array reads, the hash and key arithmetic), and tokenising was the largest entry of
 * the hot path's instruction profile. Words are still interned here, from the boundaries, hashes and keys
 * the kernel writes.
 */
interface TokenKernel {
  memory: KernelMemory;
  scan(input: number, units: number, out: number): number;
}

const tokenKernel = instantiateKernel<TokenKernel>(TOKEN_KERNEL_WASM);
/** Views of the kernel's memory, made again when it grows (growing detaches the old ones). */
let kernelBytes: Buffer = Buffer.alloc(0);
let kernelInts = new Int32Array(0);
let kernelFloats = new Float64Array(0);

function viewKernelMemory(kernel: TokenKernel): void {
  kernelBytes = Buffer.from(kernel.memory.buffer);
  kernelInts = new Int32Array(kernel.memory.buffer);
  kernelFloats = new Float64Array(kernel.memory.buffer);
}

if (tokenKernel) {
  viewKernelMemory(tokenKernel);
  // The kernel reads the same tables: ASCII_BITS at 0, KEY_CODE at 128.
  kernelBytes.set(ASCII_BITS, 0);
  kernelBytes.set(KEY_CODE, 128);
}

/** Where the kernel leaves the CHARS bits it saw and the digits it counted (as i32s, past the tables). */
const KERNEL_SEEN = 256;
const KERNEL_DIGITS = 260;
/** Where a text's code units go in the kernel's memory. */
const KERNEL_INPUT = 264;
/**
 * Longer texts take scanPlain: the kernel's memory never shrinks, and it takes ~26 bytes a code unit (two for
 * the unit, 24 for a token record, at most one token a unit), so this bounds it to ~1.7 MB.
 */
const KERNEL_MAX_UNITS = 64 * 1024;
/** Bytes of one token record: start, end, hash (i32 each), 4 unused, key (f64). */
const TOKEN_RECORD = 24;

/** scanPlain, through the kernel where there is one and the text is not too long. */
function kernelScan(s: string, out: Word[], starts: number[] | null): number {
  const kernel = tokenKernel;
  const n = s.length;
  if (kernel === undefined || n > KERNEL_MAX_UNITS) return scanPlain(s, out, starts);
  // The records after the units (and the unit the kernel reads past them), 8-byte aligned for the f64 keys.
  const records = (KERNEL_INPUT + 2 * n + 4 + 7) & ~7;
  const need = records + TOKEN_RECORD * (n + 1);
  if (need > kernelBytes.length) {
    growKernelMemory(kernel.memory, need);
    viewKernelMemory(kernel);
  }
  kernelBytes.write(s, KERNEL_INPUT, 'utf16le');
  const count = kernel.scan(KERNEL_INPUT, n, records);
  if (count < 0) return -1;
  const ints = kernelInts;
  const floats = kernelFloats;
  for (let t = 0, r = records >> 2; t < count; t++, r += TOKEN_RECORD >> 2) {
    const start = ints[r]!;
    out.push(intern(s, start, ints[r + 1]!, ints[r + 2]!, floats[(r >> 1) + 2]!));
    starts?.push(start);
  }
  return ints[KERNEL_SEEN >> 2]! + Math.min(ints[KERNEL_DIGITS >> 2]!, MAX_DIGIT_COUNT) * (1 << DIGITS_SHIFT);
}

/** The ASCII digits in `s[from, to)`. */
function digitsIn(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (ASCII_CLASS[s.charCodeAt(i)] === 2) n++;
  return n;
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

/** The content term of a (lower-cased) token: '' for a stopword or single letter, else its stem. */
function termOf(w: string): string {
  if (w.length < 2 || STOPWORDS.has(w)) return '';
  const quote = w.indexOf("'");
  return stem(quote === -1 ? w : w.slice(0, quote));
}

/**
 * The vocabulary: an open-addressing hash table of Words keyed by their text, looked up by a range of the
 * scanned text so that known words need no slice. Vocabularies are small; a stream of unique tokens (ids,
 * hashes) empties it when it reaches VOCABULARY_MAX words rather than growing it without limit.
 *
 * Most tokens are short words of a-z, 0-9 and ': up to KEY_MAX_LENGTH of those characters are one number
 * (base 38, every code non-zero, exact below 2^53), read along with the hash, so that finding such a word
 * compares two numbers instead of its characters. Other tokens have NO_KEY and compare their text.
 */
const VOCABULARY_MAX = 200_000;
const HASH_SEED = 0x811c9dc5 | 0;
const HASH_PRIME = 0x01000193;
const KEY_BASE = 38;
const KEY_MAX_LENGTH = 10; // 38^10 < 2^53
const NO_KEY = -1;
const INITIAL_SLOTS = 1 << 12;
/**
 * The slots, two numbers each: index + 1 into `entries` (0: empty), then that word's key; kept at most half
 * full. Side by side in one array, a probe reads one cache line rather than one in each of two arrays: the
 * table outgrows the CPU's nearer caches with a real vocabulary, and every token probes it.
 */
let table = new Float64Array(2 * INITIAL_SLOTS);
let entries: Word[] = [];

/** The token hash `scanPlain` computes as it reads: FNV-1a over lower-cased, straightened code units. */
function hashOf(s: string, from: number, to: number): number {
  let h = HASH_SEED;
  for (let i = from; i < to; i++) h = Math.imul(h ^ fold(s.charCodeAt(i)), HASH_PRIME);
  return h;
}

/** The key `scanPlain` computes for a lower-cased token, or NO_KEY when it is too long or has other characters. */
function keyOf(s: string, from: number, to: number): number {
  if (to - from > KEY_MAX_LENGTH) return NO_KEY;
  let key = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const code = c < 128 ? KEY_CODE[c]! : 0;
    if (code === 0) return NO_KEY;
    key = key * KEY_BASE + code;
  }
  return key;
}

/** A token code unit as the token has it: ASCII lower-cased (letters, digits and ' only), ‘ ’ ʼ as '. */
function fold(c: number): number {
  if (c < 128) return c | 0x20;
  return c === RIGHT_QUOTE || c === LEFT_QUOTE || c === 0x02bc ? APOSTROPHE : c;
}

/** The Word for the token `s[from, to)` (lower-cased and straightened as `fold` says), added when new. */
function intern(s: string, from: number, to: number, hash: number, key: number): Word {
  const mask = (table.length >> 1) - 1;
  const len = to - from;
  for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
    const k = table[2 * slot]!;
    if (k === 0) break;
    if (key !== NO_KEY) {
      if (table[2 * slot + 1] === key) return entries[k - 1]!;
      continue;
    }
    const e = entries[k - 1]!;
    if (
      table[2 * slot + 1] === NO_KEY &&
      e.hash === hash &&
      e.text.length === len &&
      sameToken(s, from, e.text)
    )
      return e;
  }
  // A copy, not a slice: V8 slices of 13+ characters point into the scanned text, and a remembered word must
  // not keep a whole response alive. Only new words pay for it.
  const text = s.slice(from, to).toLowerCase().replace(CURLY_ALL, "'").split('').join('');
  const term = termOf(text);
  const e: Word = { text, term, hash, termHash: textHash(term) };
  if (entries.length >= VOCABULARY_MAX) resetVocabulary();
  entries.push(e);
  if (entries.length * 2 > table.length >> 1) rehash(table.length);
  else insert(entries.length, hash, key);
  return e;
}

function sameToken(s: string, from: number, text: string): boolean {
  for (let k = 0; k < text.length; k++) if (fold(s.charCodeAt(from + k)) !== text.charCodeAt(k)) return false;
  return true;
}

function insert(index: number, hash: number, key: number): void {
  const mask = (table.length >> 1) - 1;
  let slot = hash & mask;
  while (table[2 * slot] !== 0) slot = (slot + 1) & mask;
  table[2 * slot] = index;
  table[2 * slot + 1] = key;
}

/** Rebuilds the table with `size` slots. */
function rehash(size: number): void {
  table = new Float64Array(2 * size);
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k]!;
    insert(k + 1, e.hash, keyOf(e.text, 0, e.text.length));
  }
}

function resetVocabulary(): void {
  entries = [];
  table = new Float64Array(2 * INITIAL_SLOTS);
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
