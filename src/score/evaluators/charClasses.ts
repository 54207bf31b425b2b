// The character tables the tokenizers share: ASCII classes, the CHARS bits a scan reports, token key codes.

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
export interface CharScan {
  /** Which of the CHARS classes occur (a bit may be set for one that does not; never the other way round). */
  readonly chars: number;
  /** How many ASCII digits the text has; -1 when not counted (then `chars` is ALL_CHARS). */
  readonly digits: number;
}
/** The CharScan of a text that was not scanned. */
export const UNSCANNED: CharScan = Object.freeze({ chars: ALL_CHARS, digits: -1 });

export const CURLY_ALL = /[\u2018\u2019\u02bc]/g;

/** Letters and digits for ASCII, as a table: 1 letter, 2 digit, 0 neither. */
export const ASCII_CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = 2;
for (let c = 65; c <= 90; c++) ASCII_CLASS[c] = 1;
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = 1;
/** ASCII_CLASS plus the CHARS bits of the other characters (their low two bits stay 0: not a word). */
export const ASCII_BITS = ASCII_CLASS.slice();
for (const ch of '*#%') ASCII_BITS[ch.charCodeAt(0)] = CHARS.mask;
ASCII_BITS['@'.charCodeAt(0)] = CHARS.at;
ASCII_BITS['$'.charCodeAt(0)] = CHARS.dollar;
for (const ch of '-_') ASCII_BITS[ch.charCodeAt(0)] = CHARS.dashOrUnderscore;
export const WORD = 3;
export const WORD_CHAR = /[\p{L}\p{N}]/uy;
export const LETTER = /\p{L}/uy;
export const APOSTROPHE = 39;
/** Key digit of a token character: 1–10 digits, 11–36 letters (either case), 37 apostrophe; 0 none. */
export const KEY_CODE = new Uint8Array(128);
for (let c = 48; c <= 57; c++) KEY_CODE[c] = c - 47;
for (let c = 97; c <= 122; c++) KEY_CODE[c] = KEY_CODE[c - 32] = c - 86;
KEY_CODE[APOSTROPHE] = 37;
export const LEFT_QUOTE = 0x2018;
export const RIGHT_QUOTE = 0x2019;
/**
 * The General Punctuation block (U+2000–U+206F): no letter or number in it, and lower-casing leaves it
 * unchanged (a unit test checks every code point), so outside a word it is plain punctuation.
 */
export const PUNCT_FIRST = 0x2000;
export const PUNCT_LAST = 0x206f;

/** scanPlain returns the digits it counted shifted by this much, above the CHARS bits. */
export const DIGITS_SHIFT = 8;
/** The largest digit count packed with the character classes (24 bits above them, read with `>>>`). */
export const MAX_DIGIT_COUNT = 2 ** (32 - DIGITS_SHIFT) - 1;
