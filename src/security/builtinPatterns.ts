// Built-in redaction patterns (emails, payment cards, API keys, …) users switch on by name.
import type { BuiltinPatternName } from './maskingConfig.js';

/**
 * One compiled match-and-redact rule. `within`, when set, names the parts of a regex match to redact (e.g.
 * the Luhn-valid card numbers in a run of digits); otherwise the whole match is.
 */
export interface MaskPattern {
  name: string;
  /** Always global. */
  regex: RegExp;
  replacement: string;
  within?: (match: string) => readonly (readonly [number, number])[];
}

type PatternSpec = Omit<MaskPattern, 'replacement' | 'name'>;

/**
 * A run of at least 13 digits (the fewest a card has) with single spaces or dashes between them and a word
 * boundary at each end; cardNumbersIn finds the cards inside it.
 */
export const DIGIT_RUN = /\b\d(?:[ -]?\d){12,}\b/g;

const SPECS: Record<BuiltinPatternName, PatternSpec> = {
  emails: { regex: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  // 13-19 digits with optional single spaces or dashes; only Luhn-valid numbers count as cards.
  cards: { regex: DIGIT_RUN, within: (run) => cardNumbersIn(run) },
  api_keys: {
    regex:
      /\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35})\b|\bBearer\s+[A-Za-z0-9._~+/-]{20,}=*/g,
  },
  jwts: { regex: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}/g },
  ipv4: {
    regex: /\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b/g,
  },
  us_ssn: { regex: /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g },
};

/** The named built-in patterns, each redacting to `replacement`; fresh RegExp objects per call. */
export function builtinPatterns(names: readonly BuiltinPatternName[], replacement: string): MaskPattern[] {
  return [...new Set(names)].map((name) => {
    const spec = SPECS[name];
    return { ...spec, name, regex: new RegExp(spec.regex.source, spec.regex.flags), replacement };
  });
}

/** The Luhn checksum payment card numbers carry. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * The card numbers in `run`, a DIGIT_RUN match, as [start, end) offsets: 13 to 19 digits that pass the Luhn
 * check (and whose first digit `issuer` accepts), beginning where the run does or after a separator and ending
 * where it does or before one; leftmost first, the longest at each start. Why not one regex match per card: a
 * greedy match runs on into digits that follow the card ("4111 1111 1111 1111 12/25" reads as 18 digits),
 * fails the check, and the card went unredacted; a match can also begin with digits before the card.
 * Linear in the run: each start tries at most 19 digits' worth of group ends, each checked in O(1) from
 * prefix sums (a hostile run of a million one-digit groups is no worse than a few passes over it).
 */
export function cardNumbersIn(
  run: string,
  issuer: (digit: number) => boolean = anyIssuer,
): [number, number][] {
  // Per group of digits between separators: its offsets in `run` and its first and end digit index.
  const groupFrom: number[] = [];
  const groupTo: number[] = [];
  const groupDigit: number[] = [];
  const digits: number[] = [];
  for (let i = 0; i < run.length; i++) {
    groupFrom.push(i);
    groupDigit.push(digits.length);
    for (let c = run.charCodeAt(i); c >= 48 && c <= 57; c = run.charCodeAt(++i)) digits.push(c - 48);
    groupTo.push(i);
  }
  groupDigit.push(digits.length);
  // Luhn sums of any digit range in O(1): evenFirst[k] sums digits [0, k) with those at odd indices doubled,
  // oddFirst[k] with those at even indices doubled. The range's last digit is never doubled.
  const evenFirst = new Int32Array(digits.length + 1);
  const oddFirst = new Int32Array(digits.length + 1);
  for (let k = 0; k < digits.length; k++) {
    const d = digits[k]!;
    const doubled = d * 2 > 9 ? d * 2 - 9 : d * 2;
    evenFirst[k + 1] = evenFirst[k]! + (k % 2 === 1 ? doubled : d);
    oddFirst[k + 1] = oddFirst[k]! + (k % 2 === 0 ? doubled : d);
  }
  const luhn = (from: number, to: number): boolean =>
    ((to - 1) % 2 === 0 ? evenFirst[to]! - evenFirst[from]! : oddFirst[to]! - oddFirst[from]!) % 10 === 0;
  const found: [number, number][] = [];
  for (let g = 0; g < groupFrom.length;) {
    const first = groupDigit[g]!;
    let last = -1;
    if (issuer(digits[first]!)) {
      for (let h = g; h < groupFrom.length; h++) {
        const count = groupDigit[h + 1]! - first;
        if (count > MAX_CARD_DIGITS) break;
        if (count >= MIN_CARD_DIGITS && luhn(first, groupDigit[h + 1]!)) last = h;
      }
    }
    if (last === -1) g++;
    else {
      found.push([groupFrom[g]!, groupTo[last]!]);
      g = last + 1;
    }
  }
  return found;
}

function anyIssuer(): boolean {
  return true;
}

const MIN_CARD_DIGITS = 13;
const MAX_CARD_DIGITS = 19;
