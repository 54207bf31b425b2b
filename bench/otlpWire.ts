// A small OTLP/protobuf writer for benchmarks and hostile-input tests: exact bytes, no schema needed,
// so tests can also write what a schema-driven encoder refuses to (bad UTF-8, wrong id lengths).

/** An attribute value: integers become int_value, other numbers double_value, `{ kv }` a kvlist. */
export type WireValue = string | number | boolean | bigint | Uint8Array | WireValue[] | { kv: WireAttr[] };
export type WireAttr = [key: string, value: WireValue];

export interface WireEvent {
  timeUnixNano: bigint;
  name: string;
  attributes?: WireAttr[];
}

export interface WireSpan {
  /** Hex or raw bytes (raw lets tests send wrong lengths). */
  traceId: string | Uint8Array;
  spanId: string | Uint8Array;
  parentSpanId?: string | Uint8Array;
  name: string | Uint8Array;
  kind?: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes?: WireAttr[];
  events?: WireEvent[];
  statusCode?: number;
  statusMessage?: string;
}

export interface WireResourceSpans {
  resource?: WireAttr[];
  scopeName?: string;
  scopeVersion?: string;
  spans: WireSpan[];
}

const enc = new TextEncoder();

/** Protobuf bytes under construction; nested messages are built separately and written length-delimited. */
export class PbWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    this.size += bytes.length;
    return this;
  }

  varint(n: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(n));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    return this.raw(Uint8Array.from(out));
  }

  tag(field: number, wireType: 0 | 1 | 2 | 5): this {
    return this.varint((field << 3) | wireType);
  }

  bytes(field: number, value: Uint8Array): this {
    return this.tag(field, 2).varint(value.length).raw(value);
  }

  string(field: number, value: string | Uint8Array): this {
    return this.bytes(field, typeof value === 'string' ? enc.encode(value) : value);
  }

  message(field: number, inner: PbWriter): this {
    return this.bytes(field, inner.finish());
  }

  fixed64(field: number, value: bigint): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    return this.tag(field, 1).raw(b);
  }

  double(field: number, value: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    return this.tag(field, 1).raw(b);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** Encodes an AnyValue. */
export function anyValue(value: WireValue): PbWriter {
  const w = new PbWriter();
  if (typeof value === 'string') w.string(1, value);
  else if (typeof value === 'boolean') w.tag(2, 0).varint(value ? 1 : 0);
  else if (typeof value === 'bigint') w.tag(3, 0).varint(value);
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) w.tag(3, 0).varint(value);
    else w.double(4, value);
  } else if (value instanceof Uint8Array) w.bytes(7, value);
  else if (Array.isArray(value)) {
    const arr = new PbWriter();
    for (const v of value) arr.message(1, anyValue(v));
    w.message(5, arr);
  } else {
    const list = new PbWriter();
    for (const a of value.kv) list.message(1, keyValue(a));
    w.message(6, list);
  }
  return w;
}

export function keyValue([key, value]: WireAttr): PbWriter {
  return new PbWriter().string(1, key).message(2, anyValue(value));
}

function id(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'hex') : value;
}

export function encodeSpan(s: WireSpan): PbWriter {
  const w = new PbWriter().bytes(1, id(s.traceId)).bytes(2, id(s.spanId));
  if (s.parentSpanId !== undefined) w.bytes(4, id(s.parentSpanId));
  w.string(5, s.name);
  if (s.kind !== undefined) w.tag(6, 0).varint(s.kind);
  w.fixed64(7, s.startTimeUnixNano).fixed64(8, s.endTimeUnixNano);
  for (const a of s.attributes ?? []) w.message(9, keyValue(a));
  for (const e of s.events ?? []) {
    const ev = new PbWriter().fixed64(1, e.timeUnixNano).string(2, e.name);
    for (const a of e.attributes ?? []) ev.message(3, keyValue(a));
    w.message(11, ev);
  }
  if (s.statusCode !== undefined || s.statusMessage !== undefined) {
    const st = new PbWriter();
    if (s.statusMessage) st.string(2, s.statusMessage);
    if (s.statusCode) st.tag(3, 0).varint(s.statusCode);
    w.message(15, st);
  }
  return w;
}

/** Encodes an ExportTraceServiceRequest. */
export function encodeTraceRequest(groups: WireResourceSpans[]): Uint8Array {
  const req = new PbWriter();
  for (const g of groups) {
    const rs = new PbWriter();
    const res = new PbWriter();
    for (const a of g.resource ?? []) res.message(1, keyValue(a));
    rs.message(1, res);
    const ss = new PbWriter();
    const scope = new PbWriter().string(1, g.scopeName ?? 'prefloop-bench').string(2, g.scopeVersion ?? '1');
    ss.message(1, scope);
    for (const s of g.spans) ss.message(2, encodeSpan(s));
    rs.message(2, ss);
    req.message(1, rs);
  }
  return req.finish();
}

/**
 * A request whose one span carries an attribute nested `depth` kvlists deep. Built inside-out without
 * recursion (the point is to test the receiver's recursion, not ours).
 */
export function encodeDeepKvlistRequest(span: WireSpan, depth: number): Uint8Array {
  // Innermost AnyValue, then repeatedly: KeyValue{key, value} → KeyValueList{values} → AnyValue{kvlist}.
  const prefixes: Uint8Array[] = [];
  const inner = anyValue('bottom').finish();
  let size = inner.length;
  const key = new PbWriter().string(1, 'k').finish();
  for (let i = 0; i < depth; i++) {
    const kvValue = new PbWriter().tag(2, 2).varint(size).finish();
    size += kvValue.length + key.length;
    const listValues = new PbWriter().tag(1, 2).varint(size).finish();
    size += listValues.length;
    const anyKv = new PbWriter().tag(6, 2).varint(size).finish();
    size += anyKv.length;
    prefixes.push(kvValue, key, listValues, anyKv);
  }
  const value = new PbWriter();
  for (let i = prefixes.length - 1; i >= 0; i--) value.raw(prefixes[i]!);
  value.raw(inner);
  const attr = new PbWriter().string(1, 'deep').message(2, value);
  const spanBytes = encodeSpan(span).message(9, attr);
  const ss = new PbWriter().message(2, spanBytes);
  const rs = new PbWriter().message(2, ss);
  return new PbWriter().message(1, rs).finish();
}
