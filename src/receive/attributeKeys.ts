// The attribute-key cap: a key is a name, and an 18 MiB one is an attack on every Map column it lands in.
import type { AttrValue, DecodedSpan } from '../records/types.js';

/** Longest attribute key accepted, in UTF-16 code units; a span carrying a longer one is rejected. */
export const MAX_ATTRIBUTE_KEY_LENGTH = 1024;

/** Why a span is rejected for an over-long attribute key (span, resource, event, link or nested), else ''. */
export function longKeyProblem(span: DecodedSpan): string {
  const maps = [
    span.attributes,
    span.resource,
    ...span.events.map((e) => e.attributes),
    ...span.links.map((l) => l.attributes),
  ];
  for (const map of maps) {
    const key = longKey(map);
    if (key !== undefined)
      return `span "${span.name.slice(0, 64)}": attribute key "${key.slice(0, 32)}…" is ${key.length} characters long (at most ${MAX_ATTRIBUTE_KEY_LENGTH}); shorten it`;
  }
  return '';
}

function longKey(value: AttrValue): string | undefined {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const key = longKey(item);
      if (key !== undefined) return key;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (key.length > MAX_ATTRIBUTE_KEY_LENGTH) return key;
    const nested = longKey(value[key]!);
    if (nested !== undefined) return nested;
  }
  return undefined;
}
