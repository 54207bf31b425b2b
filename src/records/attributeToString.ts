// AttrValue → string with the OTel Collector's AsString semantics, for Map(String,String) columns.
import type { AttrMap, AttrValue } from './types.js';

/**
 * Renders a value as the contrib clickhouseexporter does (pcommon.Value.AsString): strings raw,
 * ints in decimal, bools true/false, doubles in the shortest round-trip form, bytes as base64,
 * arrays and maps as JSON (map keys sorted, as Go's encoder writes them), empty as ''.
 */
export function attributeToString(value: AttrValue): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return doubleToString(value);
    default:
      if (value === null) return '';
      if (value instanceof Uint8Array)
        return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
      return toJson(value);
  }
}

/** All attributes as strings, keys unchanged (`__proto__` included, as an own property). */
export function flattenAttributes(attributes: AttrMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in attributes) {
    const text = attributeToString(attributes[key] ?? null);
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: text, enumerable: true, writable: true, configurable: true });
    else out[key] = text;
  }
  return out;
}

/** ES6 number-to-string, which is also what Go's JSON float encoding writes; non-finite as Go words it. */
function doubleToString(n: number): string {
  if (Number.isFinite(n)) return String(n);
  const g = Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  return `json: unsupported value: ${g}`;
}

/** JSON as Go's encoder writes it: a lone UTF-16 surrogate (invalid UTF-8 in Go) becomes U+FFFD. */
function toJson(value: AttrValue): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.toWellFormed());
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    default:
      if (value === null) return 'null';
      if (value instanceof Uint8Array) return JSON.stringify(attributeToString(value));
      if (Array.isArray(value)) return '[' + value.map(toJson).join(',') + ']';
      return (
        '{' +
        Object.keys(value)
          .sort()
          .map((k) => JSON.stringify(k.toWellFormed()) + ':' + toJson(value[k] ?? null))
          .join(',') +
        '}'
      );
  }
}
