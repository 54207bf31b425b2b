// Encodes OTLP/HTTP answers: ExportTraceServiceResponse (with partial_success) and error Status bodies.
import { otlpSchema } from './otlpSchema.js';

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
  const type = otlpSchema().exportResponse;
  return type.encode(type.fromObject({ partialSuccess: { rejectedSpans, errorMessage } })).finish();
}

/** google.rpc.Status body for a failed request (OTLP/HTTP: "the server SHOULD return a Status"). */
export function encodeStatus(encoding: OtlpEncoding, code: number, message: string): Uint8Array {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  const type = otlpSchema().rpcStatus;
  return type.encode(type.fromObject({ code, message })).finish();
}
