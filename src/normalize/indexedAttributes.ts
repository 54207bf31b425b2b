// Reads flattened indexed attributes (`<prefix>.<i>.<rest>`) back into entries ordered by numeric index.
import type { AttrMap, AttrValue } from './types.js';

/**
 * Groups `<prefix>.<i>.<rest>` keys by i: returns [i, {rest: value}] sorted numerically
 * (so 10 comes after 9, not after 1). Keys whose index is not a non-negative integer are skipped.
 */
export function indexedEntries(attributes: AttrMap, prefix: string): Array<[number, Map<string, AttrValue>]> {
  const head = prefix + '.';
  const from = head.length;
  let groups: Map<number, Map<string, AttrValue>> | undefined;
  let ascending = true;
  let lastIndex = -1;
  for (const key in attributes) {
    if (!key.startsWith(head)) continue;
    // The index: digits up to the next dot, read in place (this runs for every attribute of every span).
    let at = from;
    let index = 0;
    for (let c = key.charCodeAt(at); c >= 48 && c <= 57; c = key.charCodeAt(++at))
      index = index * 10 + c - 48;
    if (at === from || key.charCodeAt(at) !== 46) continue;
    // Past 2^53 digit arithmetic rounds differently from Number(): keep Number's reading there.
    if (at - from > 15) index = Number(key.slice(from, at));
    groups ??= new Map();
    let group = groups.get(index);
    if (!group) {
      groups.set(index, (group = new Map()));
      if (index < lastIndex) ascending = false;
      lastIndex = index;
    }
    group.set(key.slice(at + 1), attributes[key] ?? null);
  }
  if (!groups) return [];
  const entries = [...groups.entries()];
  // Senders write indexes in order, so the sort is usually not needed.
  return ascending ? entries : entries.sort((a, b) => a[0] - b[0]);
}

/** Sub-entries `<sub>.<j>.<rest>` of one entry's fields, ordered by j. */
export function subEntries(fields: Map<string, AttrValue>, sub: string): Array<Map<string, AttrValue>> {
  const flat: AttrMap = {};
  for (const [k, v] of fields) if (k.startsWith(sub + '.')) flat[k] = v;
  return indexedEntries(flat, sub).map(([, group]) => group);
}

/** A text attribute, or '' when absent; non-strings are rendered as text. */
export function text(value: AttrValue | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

/** A numeric attribute (int, double or numeric text), or null. */
export function numberOf(value: AttrValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}
