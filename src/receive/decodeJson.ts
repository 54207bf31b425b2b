// Decodes an OTLP/JSON ExportTraceServiceRequest (OTLP JSON rules) into DecodedSpan[].
import type { AttrMap, AttrValue, DecodedEvent, DecodedLink, DecodedSpan } from '../records/types.js';
import { DecodeResult, OtlpDecodeError } from './DecodeResult.js';
import { MAX_MESSAGE_DEPTH } from './decodeProtobuf.js';
import { idProblem, normalizeParent } from '../records/ids.js';
import { errorText } from '../observe/diag.js';
import { setAttribute } from './setAttribute.js';
import { JsonShapeError, parseBoundedJson } from './boundedJson.js';

type Json = Record<string, unknown>;

const SPAN_KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS_CODES: Record<string, number> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};
const INT_TEXT = /^-?\d+$/;

/**
 * Decodes one request body (UTF-8 JSON). Field names in lowerCamelCase or snake_case, ids as hex,
 * enums as integers or names, int64 as strings or numbers; unknown fields are ignored. Throws
 * OtlpDecodeError when the body is not JSON or its structure is not an OTLP trace request.
 */
export function decodeJson(body: Uint8Array | string): DecodeResult {
  let root: unknown;
  try {
    root = parseBoundedJson(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  } catch (err) {
    throw new OtlpDecodeError(
      err instanceof JsonShapeError
        ? `body refused before parsing: ${err.message}`
        : `body is not JSON (${errorText(err)})`,
      { cause: err },
    );
  }
  if (!isObject(root))
    throw new OtlpDecodeError('body is not a JSON object (expected {"resourceSpans": [...]})');
  const result = new DecodeResult();
  let index = 0;
  const resourceSpans = list(root, 'resourceSpans', 'resource_spans', 'body');
  for (let r = 0; r < resourceSpans.length; r++) {
    const rs = object(resourceSpans[r], `resourceSpans[${r}]`);
    const resourceObj = get(rs, 'resource', 'resource');
    const resource =
      resourceObj === undefined ? {} : attrs(object(resourceObj, `resourceSpans[${r}].resource`), 3);
    const scopeSpans = list(rs, 'scopeSpans', 'scope_spans', `resourceSpans[${r}].scopeSpans`);
    for (let s = 0; s < scopeSpans.length; s++) {
      const path = `resourceSpans[${r}].scopeSpans[${s}]`;
      const ss = object(scopeSpans[s], path);
      const scopeValue = get(ss, 'scope', 'scope');
      const scope = scopeValue === undefined ? {} : object(scopeValue, `${path}.scope`);
      const scopeName = str(scope, 'name', 'name');
      const scopeVersion = str(scope, 'version', 'version');
      const spans = list(ss, 'spans', 'spans', `${path}.spans`);
      for (let i = 0; i < spans.length; i++) {
        const sp = object(spans[i], `${path}.spans[${i}]`);
        const traceId = id(sp, 'traceId', 'trace_id');
        const spanId = id(sp, 'spanId', 'span_id');
        const parentSpanId = normalizeParent(id(sp, 'parentSpanId', 'parent_span_id'));
        const name = str(sp, 'name', 'name');
        const problem = idProblem(index++, name, traceId, spanId, parentSpanId);
        if (problem !== '') {
          result.reject(problem);
          continue;
        }
        const spanPath = `${path}.spans[${i}]`;
        const status = get(sp, 'status', 'status');
        const statusObj = status === undefined || status === null ? {} : object(status, `${spanPath}.status`);
        result.add({
          traceId,
          spanId,
          parentSpanId,
          traceState: str(sp, 'traceState', 'trace_state'),
          name,
          kind: enumValue(get(sp, 'kind', 'kind'), SPAN_KINDS, `${spanPath}.kind`),
          startTimeUnixNano: uint64(get(sp, 'startTimeUnixNano', 'start_time_unix_nano'), spanPath),
          endTimeUnixNano: uint64(get(sp, 'endTimeUnixNano', 'end_time_unix_nano'), spanPath),
          attributes: attrs(sp, 4),
          events: list(sp, 'events', 'events', spanPath).map((e, j) =>
            toEvent(e, `${spanPath}.events[${j}]`),
          ),
          links: list(sp, 'links', 'links', spanPath).map((l, j) => toLink(l, `${spanPath}.links[${j}]`)),
          statusCode: enumValue(get(statusObj, 'code', 'code'), STATUS_CODES, `${spanPath}.status.code`),
          statusMessage: str(statusObj, 'message', 'message'),
          resource,
          scopeName,
          scopeVersion,
        } satisfies DecodedSpan);
      }
    }
  }
  return result;
}

function toEvent(value: unknown, path: string): DecodedEvent {
  const e = object(value, path);
  return {
    timeUnixNano: uint64(get(e, 'timeUnixNano', 'time_unix_nano'), path),
    name: str(e, 'name', 'name'),
    attributes: attrs(e, 5),
  };
}

function toLink(value: unknown, path: string): DecodedLink {
  const l = object(value, path);
  return {
    traceId: id(l, 'traceId', 'trace_id'),
    spanId: id(l, 'spanId', 'span_id'),
    traceState: str(l, 'traceState', 'trace_state'),
    attributes: attrs(l, 5),
  };
}

/**
 * The `attributes` list of a span, event, link, resource or kvlist (`values`). `depth` is the
 * protobuf message depth of its KeyValues, so both encodings accept the same nesting.
 */
function attrs(owner: Json, depth: number, field = 'attributes'): AttrMap {
  const out: AttrMap = {};
  const items = get(owner, field, field);
  if (items === undefined || items === null) return out;
  if (!Array.isArray(items)) throw new OtlpDecodeError(`"${field}" must be an array of {key, value}`);
  for (const kv of items) {
    if (!isObject(kv) || typeof kv.key !== 'string')
      throw new OtlpDecodeError(`"${field}" holds an entry without a string "key"`);
    setAttribute(out, kv.key, anyValue(kv.value, kv.key, depth + 1));
  }
  return out;
}

function anyValue(v: unknown, key: string, depth: number): AttrValue {
  if (v === undefined || v === null) return null;
  if (depth > MAX_MESSAGE_DEPTH)
    throw new OtlpDecodeError(
      `attribute "${key}": values nested deeper than ${MAX_MESSAGE_DEPTH} messages; flatten nested attributes before sending`,
    );
  if (!isObject(v)) throw new OtlpDecodeError(`attribute "${key}": value must be an AnyValue object`);
  let x: unknown;
  if ((x = get(v, 'stringValue', 'string_value')) !== undefined) return String(x);
  if ((x = get(v, 'intValue', 'int_value')) !== undefined) return int64(x, `attribute "${key}"`);
  if ((x = get(v, 'doubleValue', 'double_value')) !== undefined) return double(x, key);
  if ((x = get(v, 'boolValue', 'bool_value')) !== undefined) return x === true || x === 'true';
  if ((x = get(v, 'arrayValue', 'array_value')) !== undefined) {
    const values = isObject(x) ? x.values : undefined;
    return Array.isArray(values) ? values.map((item) => anyValue(item, key, depth + 2)) : [];
  }
  if ((x = get(v, 'kvlistValue', 'kvlist_value')) !== undefined)
    return isObject(x) ? attrs(x, depth + 2, 'values') : {};
  if ((x = get(v, 'bytesValue', 'bytes_value')) !== undefined) {
    if (typeof x !== 'string')
      throw new OtlpDecodeError(`attribute "${key}": bytesValue must be base64 text`);
    return new Uint8Array(Buffer.from(x, 'base64'));
  }
  return null;
}

function double(x: unknown, key: string): number {
  if (typeof x === 'number') return x;
  // protojson writes non-finite doubles and sometimes numbers as strings.
  if (typeof x === 'string' && x.trim() !== '') {
    const n = Number(x);
    if (!Number.isNaN(n) || x === 'NaN') return n;
  }
  throw new OtlpDecodeError(`attribute "${key}": doubleValue ${JSON.stringify(x)} is not a number`);
}

function get(o: Json, camel: string, snake: string): unknown {
  const v = o[camel];
  return v !== undefined ? v : o[snake];
}

function str(o: Json, camel: string, snake: string): string {
  const v = get(o, camel, snake);
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

/** Hex id, lower-cased; anything but a string yields '' (and the span is then rejected as invalid). */
function id(o: Json, camel: string, snake: string): string {
  const v = get(o, camel, snake);
  return typeof v === 'string' ? v.toLowerCase() : '';
}

function list(o: Json, camel: string, snake: string, path: string): unknown[] {
  const v = get(o, camel, snake);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpDecodeError(`${path}.${camel} must be an array`);
  return v;
}

function object(v: unknown, path: string): Json {
  if (!isObject(v)) throw new OtlpDecodeError(`${path} must be a JSON object`);
  return v;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function enumValue(v: unknown, names: Record<string, number>, path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const named = names[v];
    if (named !== undefined) return named;
    if (INT_TEXT.test(v)) return Number(v);
  }
  throw new OtlpDecodeError(`${path}: ${JSON.stringify(v)} is not a known enum value`);
}

function int64(v: unknown, what: string): bigint {
  if (typeof v === 'string' && INT_TEXT.test(v)) return BigInt.asIntN(64, BigInt(v));
  // Numbers past 2^53 were already rounded by JSON.parse; OTLP senders write int64 as strings.
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new OtlpDecodeError(`${what}: ${JSON.stringify(v)} is not an int64 (decimal string or integer)`);
}

function uint64(v: unknown, path: string): bigint {
  if (v === undefined || v === null) return 0n;
  return BigInt.asUintN(64, int64(v, `${path} time`));
}
