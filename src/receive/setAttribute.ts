// Builds decoded attribute maps: every key, `__proto__` included, stays plain data; large maps stay fast.
import type { AttrMap, AttrValue } from '../records/types.js';

/** `map[key] = value`, except that `__proto__` becomes an own property instead of replacing the prototype. */
export function setAttribute(map: AttrMap, key: string, value: AttrValue): void {
  if (key === '__proto__')
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

/**
 * More attributes than V8 keeps in an object's fast mode when they are added by computed keys (4 in the
 * object plus 12 more): past this the map becomes a hash table.
 */
const FAST_MODE_KEYED_LIMIT = 16;
/** Larger maps are left as they are: copying them costs more, and V8 gives up on fast mode past ~1,000 keys. */
const FAST_MODE_COPY_MAX = 256;

/**
 * `map`, or a copy of it in V8's fast mode when it grew past FAST_MODE_KEYED_LIMIT entries (`entries`: the
 * key-value pairs read into it) and `keysRecur`. Why: a scored LLM span has ~20 attributes (one per message
 * role and content), so V8 turns its map into a hash table, and then every `for…in` over it (five on the hot
 * path: normalising, feedback, rubric filters, encoding) collects and sorts its keys anew, and every lookup
 * probes the table. A spread copy is built in fast mode with a hidden class shared by every span with the
 * same keys: its key list is cached and its lookups are cheap. The stages from decoding to encoding ran ~8%
 * fewer instructions (cachegrind over repeated bench spans; the copy itself costs ~4k a span). Only when the
 * keys recur (`keysRecur`): a span whose keys are new (ids in keys, say) would create a dozen hidden classes
 * that no other span shares, for nothing.
 */
export function inFastMode(map: AttrMap, entries: number, keysRecur: boolean): AttrMap {
  return keysRecur && entries > FAST_MODE_KEYED_LIMIT && entries <= FAST_MODE_COPY_MAX ? { ...map } : map;
}
