// Test reference: the vendored OTLP .proto files loaded by protobufjs, to check prefloop's own reader and writer.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** Folder holding `opentelemetry/proto/...`: `proto/` at the package root. */
const PROTO_ROOT = fileURLToPath(new URL('../../proto/', import.meta.url));
const TRACE_SERVICE = 'opentelemetry/proto/collector/trace/v1/trace_service.proto';

/** The decoded protobufjs types, resolved once. */
export interface OtlpSchema {
  readonly exportRequest: protobuf.Type;
  readonly exportResponse: protobuf.Type;
  /** `google.rpc.Status {int32 code = 1; string message = 2;}`: the OTLP/HTTP error body. */
  readonly rpcStatus: protobuf.Type;
}

let schema: OtlpSchema | undefined;

/** Returns the OTLP schema, loading the .proto files on first use (synchronous, a few ms). */
export function otlpSchema(): OtlpSchema {
  if (schema) return schema;
  const root = new protobuf.Root();
  // Imports inside the protos are relative to the proto root, not to the importing file.
  root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : PROTO_ROOT + target);
  try {
    root.loadSync(TRACE_SERVICE, { keepCase: false });
    root.resolveAll();
  } catch (err) {
    throw new Error(`test reference: cannot load the OTLP protos from ${PROTO_ROOT} (${String(err)})`, {
      cause: err,
    });
  }
  // google/rpc/status.proto is not vendored: only its two scalar fields are ever written.
  const rpcStatus = new protobuf.Type('Status')
    .add(new protobuf.Field('code', 1, 'int32'))
    .add(new protobuf.Field('message', 2, 'string'));
  new protobuf.Root().define('google.rpc').add(rpcStatus);
  schema = {
    exportRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
    exportResponse: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
    rpcStatus,
  };
  return schema;
}
