// Encodes OTLP/HTTP answers: ExportTraceServiceResponse (with partial_success) and error Status bodies.

/** The two OTLP/HTTP encodings; an answer always uses the request's. */
export type OtlpEncoding = 'protobuf' | 'json';

export const CONTENT_TYPES: Readonly<Record<OtlpEncoding, string>> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

const EMPTY = new Uint8Array(0);
const EMPTY_JSON = Buffer.from('{}');

/**
 * ExportTraceServiceResponse. A full success is the empty message (0 bytes / `{}`): some exporters
 * log every present partial_success, so it is only set when something was rejected or needs saying.
 */
export function encodeExportResponse(
  encoding: OtlpEncoding,
  rejectedSpans: number,
  errorMessage: string,
): Uint8Array {
  const partial = rejectedSpans > 0 || errorMessage !== '';
  if (encoding === 'json') {
    if (!partial) return EMPTY_JSON;
    // protojson writes int64 as a decimal string.
    return Buffer.from(
      JSON.stringify({ partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage } }),
    );
  }
  if (!partial) return EMPTY;
  // partial_success = 1 { int64 rejected_spans = 1; string error_message = 2; }
  return message([1, message([1, rejectedSpans], [2, errorMessage])]);
}

/** google.rpc.Status body for a failed request (OTLP/HTTP: "the server SHOULD return a Status"). */
export function encodeStatus(encoding: OtlpEncoding, code: number, message_: string): Uint8Array {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message: message_ }));
  // int32 code = 1; string message = 2;
  return message([1, code], [2, message_]);
}

/**
 * A protobuf message of the given fields, in order: an integer as a varint (wire type 0), a string or an
 * embedded message as length-delimited bytes (wire type 2). Fields at their proto3 default (0, empty) are
 * left out, as proto3 encoders do. Two small messages are all prefloop writes, so this is all it needs; a
 * unit test reads its output back with protobufjs and the OTLP protos.
 */
function message(...fields: ReadonlyArray<readonly [number, number | string | Uint8Array]>): Uint8Array {
  const parts: number[] = [];
  for (const [field, value] of fields) {
    if (typeof value === 'number') {
      if (value === 0) continue;
      varint(parts, field << 3);
      varint(parts, value);
      continue;
    }
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    if (bytes.length === 0) continue;
    varint(parts, (field << 3) | 2);
    varint(parts, bytes.length);
    for (const b of bytes) parts.push(b);
  }
  return Uint8Array.from(parts);
}

/** Appends `n` (an integer; a negative one as its 64-bit two's complement, ten bytes) as a varint. */
function varint(out: number[], n: number): void {
  let v = BigInt.asUintN(64, BigInt(Math.trunc(n)));
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}
