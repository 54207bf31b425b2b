// How the receiver reads a request's path, its OTLP encoding, and its route label for metrics.
import { PATHS } from '../names.js';
import type { OtlpEncoding } from './encodeResponse.js';

/** The OTLP encoding named by a Content-Type header (parameters such as charset ignored). */
export function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  if (!contentType) return undefined;
  const semi = contentType.indexOf(';');
  const mime = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (mime === 'application/x-protobuf') return 'protobuf';
  if (mime === 'application/json') return 'json';
  return undefined;
}

/** The path of a request URL, without its query string. */
export function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** Known paths as themselves; anything else as 'other', so label cardinality stays bounded. */
export function routeLabel(url: string | undefined): string {
  const path = pathOf(url);
  return Object.values(PATHS).includes(path as (typeof PATHS)[keyof typeof PATHS]) ? path : 'other';
}
