// Builds decoded attribute maps: every key, `__proto__` included, stays plain data.
import type { AttrMap, AttrValue } from '../records/types.js';

/** `map[key] = value`, except that `__proto__` becomes an own property instead of replacing the prototype. */
export function setAttribute(map: AttrMap, key: string, value: AttrValue): void {
  if (key === '__proto__')
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}
