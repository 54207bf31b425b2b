// Reads flattened indexed attributes (`<prefix>.<i>.<rest>`) back into entries ordered by numeric index.
import type { AttrMap, AttrValue } from '../records/types.js';

/** Entries of one prefix: [index, {rest of key: value}], in numeric index order. */
export type IndexedEntries = Array<[number, Map<string, AttrValue>]>;

/**
 * Groups `<prefix>.<i>.<rest>` keys by i: returns [i, {rest: value}] sorted numerically
 * (so 10 comes after 9, not after 1). Keys whose index is not a non-negative integer are skipped.
 */
export function indexedEntries(attributes: AttrMap, prefix: string): IndexedEntries {
  return indexedEntriesOf(attributes, [prefix])[0]!;
}

/**
 * indexedEntries for several prefixes in one pass over the attributes (walking a span's keys is the
 * costly part, not the prefix checks): result i is exactly indexedEntries(attributes, prefixes[i]).
 */
export function indexedEntriesOf(attributes: AttrMap, prefixes: readonly string[]): IndexedEntries[] {
  const groupings = prefixes.map((p) => new Grouping(p + '.'));
  for (const key in attributes)
    for (const g of groupings)
      if (key.startsWith(g.head)) {
        const reading = readIndexedKey(key, g.head.length);
        if (reading) g.add(reading, attributes[key] ?? null);
      }
  return groupings.map((g) => g.entries());
}

/** What an indexed key says past its prefix: `<index>.<rest>`. */
export interface IndexedKey {
  readonly index: number;
  readonly rest: string;
}

/**
 * Reads `<i>.<rest>` at `from` in `key` (digits up to the next dot, read in place); undefined when
 * there is no non-negative integer index there.
 */
export function readIndexedKey(key: string, from: number): IndexedKey | undefined {
  let at = from;
  let index = 0;
  for (let c = key.charCodeAt(at); c >= 48 && c <= 57; c = key.charCodeAt(++at)) index = index * 10 + c - 48;
  if (at === from || key.charCodeAt(at) !== 46) return undefined;
  // Past 2^53 digit arithmetic rounds differently from Number(): keep Number's reading there.
  if (at - from > 15) index = Number(key.slice(from, at));
  return { index, rest: key.slice(at + 1) };
}

/** The entries of one prefix, gathered key by key. */
export class Grouping {
  private groups: Map<number, Map<string, AttrValue>> | undefined;
  private ascending = true;
  private lastIndex = -1;

  constructor(readonly head: string) {}

  /** Takes one indexed key's value into its index's group. */
  add(key: IndexedKey, value: AttrValue): void {
    this.groups ??= new Map();
    let group = this.groups.get(key.index);
    if (!group) {
      this.groups.set(key.index, (group = new Map()));
      if (key.index < this.lastIndex) this.ascending = false;
      this.lastIndex = key.index;
    }
    group.set(key.rest, value);
  }

  entries(): IndexedEntries {
    if (!this.groups) return [];
    const entries = [...this.groups.entries()];
    // Senders write indexes in order, so the sort is usually not needed.
    return this.ascending ? entries : entries.sort((a, b) => a[0] - b[0]);
  }
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
