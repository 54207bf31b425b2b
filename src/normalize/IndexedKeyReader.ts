// indexedEntriesOf for a fixed set of prefixes, remembering how each attribute key reads.
import { Grouping, readIndexedKey } from './indexedAttributes.js';
import type { IndexedEntries, IndexedKey } from './indexedAttributes.js';
import type { AttrMap } from '../records/types.js';

/** Distinct keys remembered; past this the memory is cleared (odd senders must not grow it forever). */
const MAX_KEYS = 4096;

/** How one key reads: the prefix it belongs to and its index and rest; none for a key of no prefix. */
export interface KeyReading extends IndexedKey {
  readonly prefix: number;
}
const NONE = null;

/**
 * The same entries as indexedEntriesOf(attributes, prefixes), faster for spans that repeat keys: the
 * decoder hands out one string per distinct key, so one Map lookup replaces the prefix checks, the
 * index parse and the slice of the rest that every span would otherwise redo for every key (measured
 * ~3x faster on the bench's OpenInference spans).
 */
export class IndexedKeyReader<R extends KeyReading = KeyReading> {
  private readonly heads: string[];
  private readonly readings = new Map<string, R | typeof NONE>();

  /**
   * `prefixes` must not overlap (none may start with another's `<prefix>.`): a key reads one way.
   * `describe` adds what a caller also wants remembered per key (IndexedMessageReader: the message field).
   */
  constructor(
    prefixes: readonly string[],
    private readonly describe: (reading: KeyReading) => R = (reading) => reading as R,
  ) {
    this.heads = prefixes.map((p) => p + '.');
    for (const a of this.heads)
      for (const b of this.heads)
        if (a !== b && b.startsWith(a)) throw new Error(`indexed prefixes overlap: "${a}" and "${b}"`);
  }

  /** Entries per prefix, in the constructor's order (each as indexedEntries would give it). */
  entriesOf(attributes: AttrMap): IndexedEntries[] {
    const groupings = this.heads.map((h) => new Grouping(h));
    for (const key in attributes) {
      const reading = this.read(key);
      if (reading !== NONE) groupings[reading.prefix]!.add(reading, attributes[key] ?? null);
    }
    return groupings.map((g) => g.entries());
  }

  /** How `key` reads, or null when it is no prefix's `<prefix>.{i}…`. */
  read(key: string): R | typeof NONE {
    let reading = this.readings.get(key);
    if (reading !== undefined) return reading;
    reading = NONE;
    for (let prefix = 0; prefix < this.heads.length; prefix++) {
      const head = this.heads[prefix]!;
      if (!key.startsWith(head)) continue;
      const indexed = readIndexedKey(key, head.length);
      if (indexed) reading = this.describe({ prefix, index: indexed.index, rest: indexed.rest });
      break;
    }
    if (this.readings.size >= MAX_KEYS) this.readings.clear();
    this.readings.set(key, reading);
    return reading;
  }
}
