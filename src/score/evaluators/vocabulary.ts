// The vocabulary: every token scanned becomes one shared Word (text, content term, hashes), found by hash.
import { APOSTROPHE, CURLY_ALL, KEY_CODE, LEFT_QUOTE, RIGHT_QUOTE } from './charClasses.js';
import { termOf } from './stem.js';

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
 * The vocabulary: an open-addressing hash table of Words keyed by their text, looked up by a range of the
 * scanned text so that known words need no slice. Vocabularies are small; a stream of unique tokens (ids,
 * hashes) empties it when it reaches VOCABULARY_MAX words rather than growing it without limit.
 *
 * Most tokens are short words of a-z, 0-9 and ': up to KEY_MAX_LENGTH of those characters are one number
 * (base 38, every code non-zero, exact below 2^53), read along with the hash, so that finding such a word
 * compares two numbers instead of its characters. Other tokens have NO_KEY and compare their text.
 */
const VOCABULARY_MAX = 200_000;
export const HASH_SEED = 0x811c9dc5 | 0;
export const HASH_PRIME = 0x01000193;
export const KEY_BASE = 38;
export const KEY_MAX_LENGTH = 10; // 38^10 < 2^53
export const NO_KEY = -1;
const INITIAL_SLOTS = 1 << 12;
/**
 * The slots, two numbers each: index + 1 into `entries` (0: empty), then that word's key; kept at most half
 * full. Side by side in one array, a probe reads one cache line rather than one in each of two arrays: the
 * table outgrows the CPU's nearer caches with a real vocabulary, and every token probes it.
 */
let table = new Float64Array(2 * INITIAL_SLOTS);
let entries: Word[] = [];

/** The token hash `scanPlain` computes as it reads: FNV-1a over lower-cased, straightened code units. */
export function hashOf(s: string, from: number, to: number): number {
  let h = HASH_SEED;
  for (let i = from; i < to; i++) h = Math.imul(h ^ fold(s.charCodeAt(i)), HASH_PRIME);
  return h;
}

/** The key `scanPlain` computes for a lower-cased token, or NO_KEY when it is too long or has other characters. */
export function keyOf(s: string, from: number, to: number): number {
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
export function fold(c: number): number {
  if (c < 128) return c | 0x20;
  return c === RIGHT_QUOTE || c === LEFT_QUOTE || c === 0x02bc ? APOSTROPHE : c;
}

/** The Word for the token `s[from, to)` (lower-cased and straightened as `fold` says), added when new. */
export function intern(s: string, from: number, to: number, hash: number, key: number): Word {
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
