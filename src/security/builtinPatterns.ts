// Built-in redaction patterns (emails, payment cards, API keys, …) users switch on by name.
import type { BuiltinPatternName } from './maskingConfig.js';

/** One compiled match-and-redact rule; `accept` filters regex matches (e.g. the Luhn check on cards). */
export interface MaskPattern {
  name: string;
  /** Always global. */
  regex: RegExp;
  replacement: string;
  accept?: (match: string) => boolean;
}

type PatternSpec = Omit<MaskPattern, 'replacement' | 'name'>;

const SPECS: Record<BuiltinPatternName, PatternSpec> = {
  emails: { regex: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  // 13-19 digits with optional single spaces or dashes; only Luhn-valid numbers count as cards.
  cards: { regex: /\b\d(?:[ -]?\d){12,18}\b/g, accept: (m) => luhnValid(m.replace(/\D/g, '')) },
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
