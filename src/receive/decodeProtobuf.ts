// Decodes an OTLP/protobuf ExportTraceServiceRequest straight into DecodedSpan[] (ids hex, times exact bigint).
import type { AttrMap, AttrValue, DecodedEvent, DecodedLink, DecodedSpan } from '../records/types.js';
import { DecodeResult, OtlpDecodeError } from './DecodeResult.js';
import { idProblem, normalizeParent } from '../records/ids.js';
import { ProtobufReader } from './ProtobufReader.js';
import { setAttribute } from './setAttribute.js';

/**
 * Deepest message nesting read, counted as protobufjs and protoc count it (the request is 0, a span
 * attribute's value 5, each kvlist level 3 more): about 30 levels of nested kvlist attributes.
 */
export const MAX_MESSAGE_DEPTH = 100;

// Tags are (field number << 3) | wire type; a known field sent with another wire type is skipped as
// unknown (as protoc does), and so are fields this version does not read (flags, dropped counts, ...).

/** Shared by spans whose resource or scope carries nothing; never written to. */
const NO_ATTRIBUTES: AttrMap = Object.freeze({}) as AttrMap;

/** Running state of one request. */
interface Walk {
  readonly r: ProtobufReader;
  readonly result: DecodeResult;
  /** Index of the next span in the request (valid or not), for rejection messages. */
  index: number;
}

/**
 * Decodes one request body. Throws OtlpDecodeError when the bytes are not an OTLP trace request
 * (truncated, impossible lengths, bad wire types, attribute values nested past MAX_MESSAGE_DEPTH).
 * Spans with invalid ids are counted in the result's rejections; the others are kept.
 */
export function decodeProtobuf(body: Uint8Array): DecodeResult {
  const w: Walk = { r: new ProtobufReader(body), result: new DecodeResult(), index: 0 };
  try {
    const r = w.r;
    while (r.more()) {
      const tag = r.tag();
      if (tag === 0x0a) readResourceSpans(w);
      else r.skip(tag & 7);
    }
  } catch (err) {
    if (!(err instanceof OtlpDecodeError)) throw err;
    throw new OtlpDecodeError(`body is not a protobuf ExportTraceServiceRequest (${err.message})`, {
      cause: err,
    });
  }
  return w.result;
}

function readResourceSpans(w: Walk): void {
  const r = w.r;
  const outer = r.enter();
  const spans = w.result.spans;
  const first = spans.length;
  let resource: AttrMap | undefined;
  while (r.more()) {
    const tag = r.tag();
    if (tag === 0x0a)
      resource = readResource(r); // 1 resource (the last one wins, as in protobufjs)
    else if (tag === 0x12)
      readScopeSpans(w); // 2 scope_spans
    else r.skip(tag & 7);
  }
  r.leave(outer);
  // The resource may come after its spans on the wire: set it once the message is read.
  resource ??= {};
  for (let i = first; i < spans.length; i++) spans[i]!.resource = resource;
}

function readResource(r: ProtobufReader): AttrMap {
  const outer = r.enter();
  const attributes: AttrMap = {};
  while (r.more()) {
    const tag = r.tag();
    if (tag === 0x0a)
      readKeyValue(r, attributes, 3); // 1 attributes
    else r.skip(tag & 7);
  }
  r.leave(outer);
  return attributes;
}

function readScopeSpans(w: Walk): void {
  const r = w.r;
  const outer = r.enter();
  const spans = w.result.spans;
  const first = spans.length;
  let name = '';
  let version = '';
  while (r.more()) {
    const tag = r.tag();
    if (tag === 0x12)
      readSpan(w); // 2 spans
    else if (tag === 0x0a) {
      // 1 scope: InstrumentationScope {1 name, 2 version}; its attributes are not kept.
      name = '';
      version = '';
      const scopeOuter = r.enter();
      while (r.more()) {
        const t = r.tag();
        if (t === 0x0a) name = r.string();
        else if (t === 0x12) version = r.string();
        else r.skip(t & 7);
      }
      r.leave(scopeOuter);
    } else r.skip(tag & 7);
  }
  r.leave(outer);
  if (name === '' && version === '') return;
  for (let i = first; i < spans.length; i++) {
    const s = spans[i]!;
    s.scopeName = name;
    s.scopeVersion = version;
  }
}

function readSpan(w: Walk): void {
  const r = w.r;
  const outer = r.enter();
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let traceState = '';
  let name = '';
  let kind = 0;
  let start = 0n;
  let end = 0n;
  const attributes: AttrMap = {};
  const events: DecodedEvent[] = [];
  const links: DecodedLink[] = [];
  let statusCode = 0;
  let statusMessage = '';
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 0x0a: // 1 trace_id
        traceId = r.hex();
        break;
      case 0x12: // 2 span_id
        spanId = r.hex();
        break;
      case 0x1a: // 3 trace_state
        traceState = r.string();
        break;
      case 0x22: // 4 parent_span_id
        parentSpanId = r.hex();
        break;
      case 0x2a: // 5 name
        name = r.string();
        break;
      case 0x30: // 6 kind (enum: int32)
        kind = r.varint32() | 0;
        break;
      case 0x39: // 7 start_time_unix_nano (fixed64)
        start = r.fixed64();
        break;
      case 0x41: // 8 end_time_unix_nano (fixed64)
        end = r.fixed64();
        break;
      case 0x4a: // 9 attributes
        readKeyValue(r, attributes, 4);
        break;
      case 0x5a: // 11 events
        events.push(readEvent(r));
        break;
      case 0x6a: // 13 links
        links.push(readLink(r));
        break;
      case 0x7a: {
        // 15 status: Status {2 message, 3 code}; a repeated status replaces the earlier one.
        statusCode = 0;
        statusMessage = '';
        const statusOuter = r.enter();
        while (r.more()) {
          const t = r.tag();
          if (t === 0x12) statusMessage = r.string();
          else if (t === 0x18) statusCode = r.varint32() | 0;
          else r.skip(t & 7);
        }
        r.leave(statusOuter);
        break;
      }
      default:
        r.skip(tag & 7);
    }
  }
  r.leave(outer);
  parentSpanId = normalizeParent(parentSpanId);
  const problem = idProblem(w.index++, name, traceId, spanId, parentSpanId);
  if (problem !== '') {
    w.result.reject(problem);
    return;
  }
  w.result.add({
    traceId,
    spanId,
    parentSpanId,
    traceState,
    name,
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes,
    events,
    links,
    statusCode,
    statusMessage,
    resource: NO_ATTRIBUTES, // Set by readResourceSpans once the whole ResourceSpans is read.
    scopeName: '',
    scopeVersion: '',
  } satisfies DecodedSpan);
}

function readEvent(r: ProtobufReader): DecodedEvent {
  const outer = r.enter();
  let timeUnixNano = 0n;
  let name = '';
  const attributes: AttrMap = {};
  while (r.more()) {
    const tag = r.tag();
    if (tag === 0x09)
      timeUnixNano = r.fixed64(); // 1 time_unix_nano
    else if (tag === 0x12)
      name = r.string(); // 2 name
    else if (tag === 0x1a)
      readKeyValue(r, attributes, 5); // 3 attributes
    else r.skip(tag & 7);
  }
  r.leave(outer);
  return { timeUnixNano, name, attributes };
}

function readLink(r: ProtobufReader): DecodedLink {
  const outer = r.enter();
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attributes: AttrMap = {};
  while (r.more()) {
    const tag = r.tag();
    if (tag === 0x0a)
      traceId = r.hex(); // 1 trace_id
    else if (tag === 0x12)
      spanId = r.hex(); // 2 span_id
    else if (tag === 0x1a)
      traceState = r.string(); // 3 trace_state
    else if (tag === 0x22)
      readKeyValue(r, attributes, 5); // 4 attributes
    else r.skip(tag & 7);
  }
  r.leave(outer);
  return { traceId, spanId, traceState, attributes };
}

/** KeyValue {1 key, 2 value} at message depth `depth`, into `into` (a repeated key: the last wins). */
function readKeyValue(r: ProtobufReader, into: AttrMap, depth: number): void {
  if (depth > MAX_MESSAGE_DEPTH) throw tooDeep(r);
  const outer = r.enter();
  let key = '';
  let value: AttrValue = null;
  while (r.more()) {
    const tag = r.tag();
    if (tag === 0x0a) key = r.key();
    else if (tag === 0x12) value = readAnyValue(r, depth + 1);
    else r.skip(tag & 7);
  }
  r.leave(outer);
  setAttribute(into, key, value);
}

/** AnyValue (a oneof: the member last on the wire wins; none set is null). */
function readAnyValue(r: ProtobufReader, depth: number): AttrValue {
  if (depth > MAX_MESSAGE_DEPTH) throw tooDeep(r);
  const outer = r.enter();
  let value: AttrValue = null;
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 0x0a: // 1 string_value
        value = r.string();
        break;
      case 0x10: // 2 bool_value
        value = r.bool();
        break;
      case 0x18: // 3 int_value
        value = r.int64();
        break;
      case 0x21: // 4 double_value
        value = r.double();
        break;
      case 0x2a: // 5 array_value: ArrayValue {1 repeated AnyValue values}
        value = readArrayValue(r, depth + 1);
        break;
      case 0x32: // 6 kvlist_value: KeyValueList {1 repeated KeyValue values}
        value = readKeyValueList(r, depth + 1);
        break;
      case 0x3a: // 7 bytes_value
        value = r.bytes();
        break;
      default:
        r.skip(tag & 7);
    }
  }
  r.leave(outer);
  return value;
}

function readArrayValue(r: ProtobufReader, depth: number): AttrValue[] {
  if (depth > MAX_MESSAGE_DEPTH) throw tooDeep(r);
  const outer = r.enter();
  const values: AttrValue[] = [];
  while (r.more()) {
    const tag = r.tag();
    if (tag === 0x0a) values.push(readAnyValue(r, depth + 1));
    else r.skip(tag & 7);
  }
  r.leave(outer);
  return values;
}

function readKeyValueList(r: ProtobufReader, depth: number): AttrMap {
  if (depth > MAX_MESSAGE_DEPTH) throw tooDeep(r);
  const outer = r.enter();
  const map: AttrMap = {};
  while (r.more()) {
    const tag = r.tag();
    if (tag === 0x0a) readKeyValue(r, map, depth + 1);
    else r.skip(tag & 7);
  }
  r.leave(outer);
  return map;
}

function tooDeep(r: ProtobufReader): OtlpDecodeError {
  return r.error(
    `attribute values nested deeper than ${MAX_MESSAGE_DEPTH} messages; flatten nested attributes before sending`,
  );
}
