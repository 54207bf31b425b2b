// String and JSON-text redaction shared by span and feedback masking (masking.ts): patterns on free text,
// JSON keys and values masked one by one so the text stays valid JSON.
import type { AttrMap, AttrValue } from '../records/types.js';
import type { MaskPattern } from './builtinPatterns.js';

/** What to do with an attribute key: hide its value, drop it, or nothing. */
export type KeyRule = { action: 'hide' | 'drop'; reason: string } | undefined;

/** A masking config with its regexes compiled and key rules resolved, for the hot path (see compileMasking). */
export interface CompiledMasking {
  readonly active: boolean;
  readonly replacement: string;
  readonly patterns: readonly MaskPattern[];
  keyRule(key: string): KeyRule;
}

/** Redactions by reason (`hide_inputs`, `pattern:emails`, …): the caller adds them to its metrics. */
export type RedactionTally = Map<string, number>;

/** Nested values deeper than this are replaced whole: masking fails closed rather than recursing forever. */
export const MAX_MASK_DEPTH = 64;

/** `text` with every pattern match replaced (counted in `tally` by pattern). */
export function maskString(text: string, c: CompiledMasking, tally: RedactionTally | undefined): string {
  let out = text;
  for (const p of c.patterns) {
    p.regex.lastIndex = 0;
    if (!p.regex.test(out)) continue;
    out = out.replace(p.regex, (match: string) => {
      if (!p.within) {
        count(tally, `pattern:${p.name}`);
        return p.replacement;
      }
      let masked = '';
      let from = 0;
      for (const [start, end] of p.within(match)) {
        count(tally, `pattern:${p.name}`);
        masked += match.slice(from, start) + p.replacement;
        from = end;
      }
      return from === 0 ? match : masked + match.slice(from);
    });
  }
  return out;
}

/** JSON text with its keys and string values masked one by one (so it stays JSON); other text as a string. */
export function maskJsonText(text: string, c: CompiledMasking, tally: RedactionTally | undefined): string {
  if (text === '') return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return maskString(text, c, tally);
  }
  const masked = maskJson(parsed, c, tally, 0);
  return masked === parsed ? text : JSON.stringify(masked);
}

/** A parsed JSON value with keys and strings masked; deeper than MAX_MASK_DEPTH is replaced whole. */
export function maskJson(
  value: unknown,
  c: CompiledMasking,
  tally: RedactionTally | undefined,
  depth: number,
): unknown {
  if (typeof value === 'string') return maskString(value, c, tally);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_MASK_DEPTH) {
    count(tally, 'too_deep');
    return c.replacement;
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const next = maskJson(v, c, tally, depth + 1);
      if (next !== v) (out ??= value.slice())[i] = next;
    });
    return out ?? value;
  }
  const obj = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    const next = maskJson(obj[key], c, tally, depth + 1);
    const maskedKey = maskString(key, c, tally);
    if (next === obj[key] && maskedKey === key) continue;
    out ??= { ...obj };
    if (maskedKey !== key) delete out[key];
    setOwn(out as AttrMap, maskedKey, next as AttrValue);
  }
  return out ?? value;
}

/** Copies own keys, including a hostile `__proto__` key, without touching any prototype. */
export function copyAttrs(attrs: AttrMap): AttrMap {
  const out: AttrMap = {};
  for (const key of Object.keys(attrs)) setOwn(out, key, attrs[key]!);
  return out;
}

/** Sets an own property, a `__proto__` key included, without touching any prototype. */
export function setOwn(target: AttrMap, key: string, value: AttrValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Adds one redaction to the tally under `reason`. */
export function count(tally: RedactionTally | undefined, reason: string): void {
  if (tally) tally.set(reason, (tally.get(reason) ?? 0) + 1);
}
