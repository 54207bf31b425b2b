// Test reference: the protobufjs-based decoder prefloop used before ProtobufReader, for differential tests.
import type {
  AttrMap,
  AttrValue,
  DecodedEvent,
  DecodedLink,
  DecodedSpan,
} from '../../../src/records/types.js';
import { DecodeResult, OtlpDecodeError } from '../../../src/receive/DecodeResult.js';
import { idProblem, normalizeParent } from '../../../src/records/ids.js';
import { otlpSchema } from '../../helpers/otlpSchema.js';

/** protobufjs represents 64-bit integers as Long (when the `long` package is present) or number. */
interface LongLike {
  low: number;
  high: number;
}
type Int64 = LongLike | number | null | undefined;

// The decoded message shapes (camelCase, as protobufjs produces them); every field may be absent.
interface PbAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Int64;
  doubleValue?: number;
  arrayValue?: { values?: PbAnyValue[] } | null;
  kvlistValue?: { values?: PbKeyValue[] } | null;
  bytesValue?: Uint8Array;
}
interface PbKeyValue {
  key?: string;
  value?: PbAnyValue | null;
}
interface PbSpan {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  parentSpanId?: Uint8Array;
  traceState?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: Int64;
  endTimeUnixNano?: Int64;
  attributes?: PbKeyValue[];
  events?: { timeUnixNano?: Int64; name?: string; attributes?: PbKeyValue[] }[];
  links?: { traceId?: Uint8Array; spanId?: Uint8Array; traceState?: string; attributes?: PbKeyValue[] }[];
  status?: { code?: number; message?: string } | null;
}
interface PbRequest {
  resourceSpans?: {
    resource?: { attributes?: PbKeyValue[] } | null;
    scopeSpans?: { scope?: { name?: string; version?: string } | null; spans?: PbSpan[] }[];
  }[];
}

const has = Object.prototype.hasOwnProperty;
const EMPTY: never[] = [];

/** Decodes one request body. Throws OtlpDecodeError when the bytes are not an OTLP trace request. */
export function decodeWithProtobufjs(body: Uint8Array): DecodeResult {
  let request: PbRequest;
  try {
    request = otlpSchema().exportRequest.decode(body) as unknown as PbRequest;
  } catch (err) {
    throw new OtlpDecodeError(
      `body is not a protobuf ExportTraceServiceRequest (${err instanceof Error ? err.message : String(err)})`,
      { cause: err },
    );
  }
  const result = new DecodeResult();
  let index = 0;
  for (const rs of request.resourceSpans ?? EMPTY) {
    const resource = toAttrMap(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? EMPTY) {
      const scopeName = ss.scope?.name ?? '';
      const scopeVersion = ss.scope?.version ?? '';
      for (const s of ss.spans ?? EMPTY) {
        const traceId = hex(s.traceId);
        const spanId = hex(s.spanId);
        const parentSpanId = normalizeParent(hex(s.parentSpanId));
        const name = s.name ?? '';
        const problem = idProblem(index++, name, traceId, spanId, parentSpanId);
        if (problem !== '') {
          result.reject(problem);
          continue;
        }
        result.spans.push({
          traceId,
          spanId,
          parentSpanId,
          traceState: s.traceState ?? '',
          name,
          kind: s.kind ?? 0,
          startTimeUnixNano: uint64(s.startTimeUnixNano),
          endTimeUnixNano: uint64(s.endTimeUnixNano),
          attributes: toAttrMap(s.attributes),
          events: s.events?.length ? s.events.map(toEvent) : [],
          links: s.links?.length ? s.links.map(toLink) : [],
          statusCode: s.status?.code ?? 0,
          statusMessage: s.status?.message ?? '',
          resource,
          scopeName,
          scopeVersion,
        } satisfies DecodedSpan);
      }
    }
  }
  return result;
}

function toEvent(e: { timeUnixNano?: Int64; name?: string; attributes?: PbKeyValue[] }): DecodedEvent {
  return { timeUnixNano: uint64(e.timeUnixNano), name: e.name ?? '', attributes: toAttrMap(e.attributes) };
}

function toLink(l: {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  traceState?: string;
  attributes?: PbKeyValue[];
}): DecodedLink {
  return {
    traceId: hex(l.traceId),
    spanId: hex(l.spanId),
    traceState: l.traceState ?? '',
    attributes: toAttrMap(l.attributes),
  };
}

function toAttrMap(list: PbKeyValue[] | undefined): AttrMap {
  const out: AttrMap = {};
  if (!list) return out;
  for (const kv of list) out[kv.key ?? ''] = toAttrValue(kv.value);
  return out;
}

/** AnyValue → AttrValue; an empty AnyValue is null. Oneof members are own properties only when set. */
function toAttrValue(v: PbAnyValue | null | undefined): AttrValue {
  if (!v) return null;
  if (has.call(v, 'stringValue')) return v.stringValue!;
  if (has.call(v, 'intValue')) return int64(v.intValue);
  if (has.call(v, 'doubleValue')) return v.doubleValue!;
  if (has.call(v, 'boolValue')) return v.boolValue!;
  if (has.call(v, 'arrayValue')) return (v.arrayValue?.values ?? EMPTY).map(toAttrValue);
  if (has.call(v, 'kvlistValue')) return toAttrMap(v.kvlistValue?.values);
  // Copied: protobufjs hands out a view of the request buffer, which must not be kept alive.
  if (has.call(v, 'bytesValue')) return new Uint8Array(v.bytesValue!);
  return null;
}

function hex(bytes: Uint8Array | undefined): string {
  if (!bytes || bytes.length === 0) return '';
  return Buffer.isBuffer(bytes)
    ? bytes.toString('hex')
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** fixed64 → exact unsigned bigint. */
function uint64(v: Int64): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'number') return BigInt(v);
  return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
}

/** int64 → exact signed bigint. */
function int64(v: Int64): bigint {
  return BigInt.asIntN(64, uint64(v));
}
