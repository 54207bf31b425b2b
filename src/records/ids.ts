// Trace/span id checks shared by the protobuf and JSON decoders (OTLP: 16/8 bytes, not all zero).

const HEX_32 = /^[0-9a-f]{32}$/;
const HEX_16 = /^[0-9a-f]{16}$/;
const ZEROS_32 = '0'.repeat(32);
const ZEROS_16 = '0'.repeat(16);

/** True for 32 lower-case hex digits that are not all zero. */
export function isValidTraceId(hex: string): boolean {
  return HEX_32.test(hex) && hex !== ZEROS_32;
}

/** True for 16 lower-case hex digits that are not all zero. */
export function isValidSpanId(hex: string): boolean {
  return HEX_16.test(hex) && hex !== ZEROS_16;
}

/**
 * Why a span's ids make it unusable, or '' when they are fine. A parent id may be empty (root span);
 * an all-zero parent is read as "no parent" by the caller before this check.
 */
export function idProblem(
  index: number,
  name: string,
  traceId: string,
  spanId: string,
  parent: string,
): string {
  const traceOk = isValidTraceId(traceId);
  const spanOk = isValidSpanId(spanId);
  const parentOk = parent === '' || HEX_16.test(parent);
  if (traceOk && spanOk && parentOk) return ''; // The usual case: no message built.
  const where = `span #${index} "${name.length > 60 ? name.slice(0, 60) + '…' : name}"`;
  if (!traceOk) return `${where}: invalid trace_id "${clip(traceId)}" (need 32 hex digits, not all zero)`;
  if (!spanOk) return `${where}: invalid span_id "${clip(spanId)}" (need 16 hex digits, not all zero)`;
  return `${where}: invalid parent_span_id "${clip(parent)}" (need 16 hex digits or empty)`;
}

/** A bad id as quoted back to the sender: long garbage is cut, so the message stays short. */
function clip(id: string): string {
  return id.length > 130 ? id.slice(0, 128) + '…' : id;
}

/** An all-zero parent id means "root" to some senders; store it as ''. */
export function normalizeParent(hex: string): string {
  return hex === ZEROS_16 ? '' : hex;
}
