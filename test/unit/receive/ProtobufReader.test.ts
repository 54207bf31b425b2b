// Differential and robustness tests of the hand-written protobuf decoder against protobufjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  PbWriter,
  encodeDeepKvlistRequest,
  encodeSpan,
  encodeTraceRequest,
} from '../../../bench/otlpWire.js';
import { encodeBodies, generateConversations } from '../../../bench/llmSpans.js';
import { decodeProtobuf, MAX_MESSAGE_DEPTH } from '../../../src/receive/decodeProtobuf.js';
import { OtlpDecodeError } from '../../../src/receive/DecodeResult.js';
import type { DecodeResult } from '../../../src/receive/DecodeResult.js';
import { otlpSchema } from '../../helpers/otlpSchema.js';
import { decodeWithProtobufjs } from './protobufjsDecode.js';
import { hr, LINK_SPAN, LINK_TRACE, PARENT_ID, readableSpan, SPAN_ID, TRACE_ID } from './fixtures.js';
import { prng } from '../../helpers/prng.js';

/** Both decoders read `body` (as the receiver hands it: a Buffer) to the same spans and rejections. */
function assertSameAsProtobufjs(body: Uint8Array, what: string): DecodeResult {
  const buf = Buffer.from(body);
  const expected = decodeWithProtobufjs(buf);
  const actual = decodeProtobuf(buf);
  assert.deepStrictEqual(actual.spans, expected.spans, what);
  assert.equal(actual.rejected, expected.rejected, what);
  assert.equal(actual.errorMessage(), expected.errorMessage(), what);
  return actual;
}

/** `bytes` with `remove` bytes at `at` replaced by `insert`. */
function splice(bytes: Uint8Array, at: number, remove: number, insert: number[]): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at));
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

/** Decodes, and fails the test on anything but success or an OtlpDecodeError. */
function decodeOrDecodeError(body: Uint8Array): DecodeResult | OtlpDecodeError {
  try {
    return decodeProtobuf(Buffer.from(body));
  } catch (err) {
    if (err instanceof OtlpDecodeError) return err;
    throw err;
  }
}

test('SDK-serialized spans decode exactly as protobufjs decodes them', () => {
  const specs = [
    readableSpan(),
    readableSpan({
      parentSpanId: PARENT_ID,
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.token_count.prompt': 12,
        temperature: 0.25,
        big: 2 ** 40,
        negative: -7,
        stream: false,
        'tag.tags': ['a', 'b'],
        flags: [true, false],
        scores: [0.5, 1.5],
        unicode: 'naïve — 日本語 🙂',
      },
      events: [{ name: 'first_token', time: hr(1_700_000_000_500_000_001n), attributes: { n: 1 } }],
      links: [{ context: { traceId: LINK_TRACE, spanId: LINK_SPAN, traceFlags: 1 }, attributes: { k: 'v' } }],
    }),
    readableSpan({ name: 'zero parent', parentSpanId: '0000000000000000' }),
    readableSpan({ name: 'bad span id', spanId: '0000000000000000' }),
    readableSpan({ name: '', start: 0n, end: 0n }),
  ];
  for (let i = 0; i < specs.length; i++)
    assertSameAsProtobufjs(ProtobufTraceSerializer.serializeRequest([specs[i]!])!, `spec ${i}`);
  const all = assertSameAsProtobufjs(ProtobufTraceSerializer.serializeRequest(specs)!, 'all specs');
  assert.equal(all.spans.length, 4);
  assert.equal(all.rejected, 1);
});

test('realistic LLM span batches decode exactly as protobufjs decodes them', () => {
  const { bodies } = encodeBodies(generateConversations(60), 120, 40);
  for (const [i, body] of bodies.entries()) {
    const r = assertSameAsProtobufjs(body, `body ${i}`);
    assert.equal(r.spans.length, 40);
  }
});

test('values written through protobufjs itself (int64 extremes, bytes, nested) decode the same', () => {
  const type = otlpSchema().exportRequest;
  const value = (v: object) => v;
  const body = type
    .encode(
      type.fromObject({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: value({ stringValue: 'svc' }) }] },
            scopeSpans: [
              {
                scope: { name: 's', version: '2' },
                spans: [
                  {
                    traceId: Buffer.from(TRACE_ID, 'hex'),
                    spanId: Buffer.from(SPAN_ID, 'hex'),
                    traceState: 'a=1',
                    name: 'x',
                    kind: 5,
                    startTimeUnixNano: '18446744073709551615',
                    endTimeUnixNano: '4294967296',
                    attributes: [
                      { key: 'max', value: { intValue: '9223372036854775807' } },
                      { key: 'min', value: { intValue: '-9223372036854775808' } },
                      { key: 'minus1', value: { intValue: '-1' } },
                      { key: 'edge28', value: { intValue: String(2 ** 28) } },
                      { key: 'edge32', value: { intValue: String(2 ** 32 - 1) } },
                      { key: 'nan', value: { doubleValue: NaN } },
                      { key: 'negzero', value: { doubleValue: -0 } },
                      { key: 'raw', value: { bytesValue: Buffer.from([0, 1, 255]) } },
                      { key: 'emptyraw', value: { bytesValue: Buffer.alloc(0) } },
                      { key: 'emptystr', value: { stringValue: '' } },
                      { key: 'empty', value: {} },
                      { key: 'novalue' },
                      { key: 'arr', value: { arrayValue: {} } },
                      {
                        key: 'kv',
                        value: {
                          kvlistValue: {
                            values: [{ key: 'a', value: { arrayValue: { values: [{ boolValue: true }] } } }],
                          },
                        },
                      },
                    ],
                    events: [{ timeUnixNano: '1', name: 'e' }, {}],
                    links: [
                      {
                        traceId: Buffer.from(LINK_TRACE, 'hex'),
                        spanId: Buffer.from(LINK_SPAN, 'hex'),
                        traceState: 't',
                      },
                    ],
                    status: { code: 1, message: 'ok' },
                    droppedAttributesCount: 3,
                    flags: 0x301,
                  },
                ],
              },
            ],
          },
        ],
      }),
    )
    .finish();
  const r = assertSameAsProtobufjs(body, 'protobufjs-encoded');
  const s = r.spans[0]!;
  assert.equal(s.startTimeUnixNano, 18446744073709551615n);
  assert.equal(s.attributes.min, -9223372036854775808n);
  assert.equal(s.attributes.minus1, -1n);
  assert.ok(Object.is(s.attributes.negzero, -0));
  assert.deepEqual(s.attributes.raw, new Uint8Array([0, 1, 255]));
  assert.equal(
    Object.getPrototypeOf(s.attributes.raw),
    Uint8Array.prototype,
    'a plain copy, not a Buffer view',
  );
  assert.equal(s.attributes.empty, null);
  assert.equal(s.attributes.novalue, null);
  assert.equal(s.scopeVersion, '2');
});

// Random valid requests: every field in a random order, unknown fields of every wire type mixed in.

type Field = (w: PbWriter) => void;

function randomRequest(rand: () => number): Uint8Array {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (n: number) => Math.floor(rand() * n);
  const text = (): string | Uint8Array => {
    const kind = int(10);
    if (kind === 0) return '';
    if (kind === 1) return Uint8Array.from({ length: 1 + int(8) }, () => int(256)); // often invalid UTF-8
    if (kind === 2) return 'ünïcödé ✓ 😀'.slice(0, 1 + int(12));
    return pick(['llm.input_messages', 'a', 'session.id', 'x'.repeat(int(300)), 'user.id']) + int(5);
  };
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  const id = (n: number) =>
    rand() < 0.08 ? bytes(pick([0, n / 2, n, n + 1])) : rand() < 0.05 ? new Uint8Array(n) : bytes(n);
  const unknown = (): Field => {
    const field = 100 + int(400);
    return pick<Field>([
      (w) => w.tag(field, 0).varint(BigInt.asUintN(64, BigInt(int(2 ** 31)) << BigInt(int(33)))),
      (w) => w.fixed64(field, BigInt(int(2 ** 31))),
      (w) => w.string(field, text()),
      (w) => w.tag(field, 5).raw(bytes(4)),
      (w) =>
        w
          .varint((field << 3) | 3)
          .tag(field + 1, 0)
          .varint(1)
          .varint((field << 3) | 4), // a group
    ]);
  };
  /** Writes the fields in a random order with a few unknown ones among them. */
  const message = (fields: Field[]): PbWriter => {
    const all = [...fields];
    for (let i = int(3); i > 0; i--) all.push(unknown());
    for (let i = all.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    const w = new PbWriter();
    for (const f of all) f(w);
    return w;
  };
  const anyValue = (depth: number): PbWriter => {
    const kind = depth > 3 ? int(5) : int(8);
    if (kind === 7) return message([]); // empty AnyValue
    return message([
      [
        (w: PbWriter) => w.string(1, text()),
        (w: PbWriter) => w.tag(2, 0).varint(int(2)),
        (w: PbWriter) =>
          w.tag(3, 0).varint(BigInt.asUintN(64, BigInt(int(2 ** 31) - 2 ** 30) << BigInt(int(34)))),
        (w: PbWriter) => w.double(4, pick([0.5, -0, NaN, Infinity, 1e300, rand()])),
        (w: PbWriter) => w.bytes(7, bytes(int(5))),
        (w: PbWriter) =>
          w.message(
            5,
            message(Array.from({ length: int(4) }, () => (x: PbWriter) => x.message(1, anyValue(depth + 1)))),
          ),
        (w: PbWriter) =>
          w.message(
            6,
            message(Array.from({ length: int(4) }, () => (x: PbWriter) => x.message(1, keyValue(depth + 1)))),
          ),
      ][kind]!,
    ]);
  };
  const keyValue = (depth: number): PbWriter => {
    const fields: Field[] = [(w) => w.string(1, text())];
    if (rand() < 0.95) fields.push((w) => w.message(2, anyValue(depth)));
    return message(fields);
  };
  const attrs = (field: number, n: number): Field[] =>
    Array.from({ length: n }, () => (w: PbWriter) => w.message(field, keyValue(0)));
  const span = (): PbWriter => {
    const fields: Field[] = [
      (w) => w.bytes(1, id(16)),
      (w) => w.bytes(2, id(8)),
      (w) => w.tag(6, 0).varint(pick([0, 1, 3, 5, -1, 2 ** 31])),
      (w) => w.fixed64(7, BigInt.asUintN(64, BigInt(int(2 ** 31)) << 32n) | BigInt(int(2 ** 31))),
      (w) => w.fixed64(8, BigInt(int(1000))),
      (w) => w.tag(16, 5).raw(bytes(4)), // flags: read by protobufjs, skipped by us
      (w) => w.tag(10, 0).varint(int(10)), // dropped_attributes_count
      ...attrs(9, int(6)),
    ];
    if (rand() < 0.7) fields.push((w) => w.string(5, text()));
    if (rand() < 0.5) fields.push((w) => w.bytes(4, rand() < 0.3 ? new Uint8Array(8) : id(8)));
    if (rand() < 0.3) fields.push((w) => w.string(3, text()));
    for (let i = int(3); i > 0; i--)
      fields.push((w) =>
        w.message(
          11,
          message([
            (x) => x.fixed64(1, BigInt(int(2 ** 31))),
            (x) => x.string(2, text()),
            ...attrs(3, int(3)),
          ]),
        ),
      );
    for (let i = int(2); i > 0; i--)
      fields.push((w) =>
        w.message(
          13,
          message([
            (x) => x.bytes(1, id(16)),
            (x) => x.bytes(2, id(8)),
            (x) => x.string(3, text()),
            ...attrs(4, int(2)),
          ]),
        ),
      );
    if (rand() < 0.6)
      fields.push((w) =>
        w.message(15, message([(x) => x.string(2, text()), (x) => x.tag(3, 0).varint(int(3))])),
      );
    return message(fields);
  };
  const scopeSpans = (): PbWriter => {
    const fields: Field[] = Array.from({ length: int(4) }, () => (w: PbWriter) => w.message(2, span()));
    if (rand() < 0.8)
      fields.push((w) =>
        w.message(1, message([(x) => x.string(1, text()), (x) => x.string(2, text()), ...attrs(3, int(2))])),
      );
    if (rand() < 0.3) fields.push((w) => w.string(3, 'https://schema'));
    return message(fields);
  };
  const resourceSpans = (): PbWriter => {
    const fields: Field[] = Array.from({ length: int(3) }, () => (w: PbWriter) => w.message(2, scopeSpans()));
    if (rand() < 0.8) fields.push((w) => w.message(1, message(attrs(1, int(4)))));
    return message(fields);
  };
  return message(
    Array.from({ length: 1 + int(3) }, () => (w: PbWriter) => w.message(1, resourceSpans())),
  ).finish();
}

test('400 seeded random requests (shuffled fields, unknown fields, odd values) decode as protobufjs does', () => {
  const rand = prng(20240611);
  let spans = 0;
  let rejected = 0;
  for (let i = 0; i < 400; i++) {
    const r = assertSameAsProtobufjs(randomRequest(rand), `random request #${i}`);
    spans += r.spans.length;
    rejected += r.rejected;
  }
  // The generator really produced both kinds (a broken generator would make the test vacuous).
  assert.ok(spans > 300, `${spans} spans`);
  assert.ok(rejected > 15, `${rejected} rejected`);
});

test('nesting at the depth limit decodes as protobufjs does; one level more is a clean OtlpDecodeError', () => {
  const good = {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    name: 'deep',
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
  };
  // A span attribute's AnyValue is message depth 5, and each kvlist level adds 3.
  const levels = Math.floor((MAX_MESSAGE_DEPTH - 5) / 3);
  assertSameAsProtobufjs(encodeDeepKvlistRequest(good, levels), 'at the limit');
  const over = encodeDeepKvlistRequest(good, levels + 1);
  assert.throws(() => decodeWithProtobufjs(over), OtlpDecodeError);
  assert.throws(() => decodeProtobuf(over), { name: 'OtlpDecodeError', message: /nested deeper than 100/ });
  assert.throws(() => decodeProtobuf(encodeDeepKvlistRequest(good, 10_000)), OtlpDecodeError);
});

test('every truncation inside a request is an OtlpDecodeError', () => {
  const body = encodeTraceRequest([
    {
      resource: [['service.name', 'svc']],
      spans: [
        {
          traceId: TRACE_ID,
          spanId: SPAN_ID,
          name: 'x',
          startTimeUnixNano: 1n,
          endTimeUnixNano: 2n,
          attributes: [
            ['k', 'v'],
            ['n', 5],
            ['d', 0.5],
            ['l', [1, 'a', { kv: [['z', true]] }]],
          ],
        },
      ],
    },
  ]);
  for (let cut = 1; cut < body.length; cut++)
    assert.throws(
      () => decodeProtobuf(body.subarray(0, cut)),
      OtlpDecodeError,
      `cut at ${cut} of ${body.length}`,
    );
});

test('garbage is an OtlpDecodeError naming what is wrong', () => {
  const cases: Array<[number[], RegExp]> = [
    [[0x0f, 0x01], /invalid wire type 7/],
    [[0x0e], /invalid wire type 6/],
    [[0x0c], /end-group tag without a start-group/],
    [[0x00], /field number 0/],
    [[0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f], /runs past the end/],
    [[0x0a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], /length prefix longer than 5 bytes/],
    [[0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], /varint longer than 10 bytes/],
    [[0x0b, 0x08, 0x01], /truncated/], // a group that never ends
    [[0x0a, 0x02, 0x12, 0x05], /runs past the end/], // a nested length past its parent's end
  ];
  for (const [bytes, message] of cases) {
    assert.throws(
      () => decodeProtobuf(Uint8Array.from(bytes)),
      (err: unknown) => {
        assert.ok(err instanceof OtlpDecodeError, `${bytes.join(',')}: ${String(err)}`);
        assert.match(err.message, /^body is not a protobuf ExportTraceServiceRequest \(/);
        assert.match(err.message, message);
        return true;
      },
    );
  }
  assert.equal(decodeProtobuf(new Uint8Array(0)).spans.length, 0);
});

test('3,000 seeded mutations of real requests: a result with valid spans or an OtlpDecodeError, nothing else', () => {
  const rand = prng(7);
  const seeds = [
    ...encodeBodies(generateConversations(4), 8, 4).bodies,
    ProtobufTraceSerializer.serializeRequest([readableSpan({ attributes: { a: [1, 2], b: 'x' } })])!,
  ];
  let errors = 0;
  for (let i = 0; i < 3_000; i++) {
    const body = Uint8Array.from(seeds[i % seeds.length]!);
    const n = 1 + Math.floor(rand() * 4);
    let bytes: Uint8Array = body;
    for (let m = 0; m < n; m++) {
      const at = Math.floor(rand() * bytes.length);
      const op = Math.floor(rand() * 3);
      if (op === 0) bytes[at] = Math.floor(rand() * 256);
      else bytes = splice(bytes, at, op === 1 ? 0 : 1, op === 1 ? [Math.floor(rand() * 256)] : []);
    }
    const result = decodeOrDecodeError(bytes);
    if (result instanceof OtlpDecodeError) {
      errors++;
      continue;
    }
    for (const s of result.spans) {
      assert.match(s.traceId, /^[0-9a-f]{32}$/);
      assert.match(s.spanId, /^[0-9a-f]{16}$/);
      assert.equal(typeof s.startTimeUnixNano, 'bigint');
    }
  }
  assert.ok(errors > 300 && errors < 3_000, `${errors} of 3000 mutations were decode errors`);
});

test('invalid UTF-8 reads as TextDecoder (fatal: false) reads it: U+FFFD per bad sequence', () => {
  const bad = Uint8Array.from([0x61, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x62, 0xf0, 0x9f, 0x98]);
  const span = encodeSpan({
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    name: bad,
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
  });
  span.message(9, new PbWriter().string(1, bad).message(2, new PbWriter().string(1, bad)));
  const body = new PbWriter().message(1, new PbWriter().message(2, new PbWriter().message(2, span))).finish();
  const s = assertSameAsProtobufjs(body, 'bad UTF-8').spans[0]!;
  const expected = new TextDecoder('utf-8', { fatal: false }).decode(bad);
  assert.equal(s.name, expected);
  assert.deepEqual(s.attributes, { [expected]: expected });
});

test('attribute keys repeat through the key cache without mixing up similar keys', () => {
  const rand = prng(3);
  const keys = Array.from(
    { length: 3_000 },
    (_, i) =>
      `llm.input_messages.${i % 37}.message.${rand() < 0.5 ? 'role' : 'content'}${i % 3 === 0 ? 'é' : ''}`,
  );
  const body = encodeTraceRequest([
    {
      spans: [
        {
          traceId: TRACE_ID,
          spanId: SPAN_ID,
          name: 'k',
          startTimeUnixNano: 1n,
          endTimeUnixNano: 2n,
          attributes: keys.map((k, i) => [k, i]),
        },
      ],
    },
  ]);
  for (let round = 0; round < 2; round++) assertSameAsProtobufjs(body, `round ${round}`);
});

test('keys of every length up to 12 that differ in one byte at any position are told apart', () => {
  // The cache compares keys four bytes at a time, the last word overlapping the one before: a difference in
  // the tail, the overlap or a short key's only bytes must still tell keys apart, in either order.
  const keys: string[] = [];
  for (let len = 1; len <= 12; len++) {
    const base = 'abcdefghijkl'.slice(0, len);
    keys.push(base);
    for (let at = 0; at < len; at++) keys.push(base.slice(0, at) + 'Z' + base.slice(at + 1));
  }
  const span = (order: string[]) => ({
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    name: 'k',
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
    attributes: order.map((k, i): [string, number] => [k, i]),
  });
  const body = encodeTraceRequest([{ spans: [span(keys), span([...keys].reverse()), span(keys)] }]);
  for (let round = 0; round < 2; round++) assertSameAsProtobufjs(body, `round ${round}`);
});

test('short string values repeat through the string cache without mixing up similar or non-ASCII ones', () => {
  const rand = prng(4);
  const texts = [
    'user',
    'User',
    'usér',
    'assistant',
    '',
    'a',
    'x'.repeat(16),
    'x'.repeat(17),
    '\u0000\u007f',
  ];
  const values = Array.from({ length: 3_000 }, (_, i) =>
    rand() < 0.5 ? texts[i % texts.length]! : `v-${Math.floor(rand() * 5_000)}`,
  );
  const body = encodeTraceRequest([
    {
      spans: [
        {
          traceId: TRACE_ID,
          spanId: SPAN_ID,
          name: 'user',
          startTimeUnixNano: 1n,
          endTimeUnixNano: 2n,
          attributes: values.map((v, i) => [`k${i}`, v]),
        },
      ],
    },
  ]);
  for (let round = 0; round < 2; round++) {
    const s = assertSameAsProtobufjs(body, `round ${round}`).spans[0]!;
    assert.deepEqual(Object.values(s.attributes), values);
  }
});

test('__proto__ is an ordinary attribute key: an own property, the prototype untouched', () => {
  const body = encodeTraceRequest([
    {
      spans: [
        {
          traceId: TRACE_ID,
          spanId: SPAN_ID,
          name: 'p',
          startTimeUnixNano: 1n,
          endTimeUnixNano: 2n,
          attributes: [
            ['__proto__', { kv: [['polluted', 'yes']] }],
            ['constructor', 'x'],
          ],
        },
      ],
    },
  ]);
  const a = decodeProtobuf(body).spans[0]!.attributes;
  assert.equal(Object.getPrototypeOf(a), Object.prototype);
  assert.deepEqual(Object.keys(a), ['__proto__', 'constructor']);
  assert.deepEqual(Object.getOwnPropertyDescriptor(a, '__proto__')?.value, { polluted: 'yes' });
  assert.equal((a as Record<string, unknown>).polluted, undefined);
});

test('a span with many attributes reads the same when its keys are new and when they recur', () => {
  // Every key, its order, the last of a repeated key's values, and `__proto__` as an own property, each time.
  const attributes: [string, unknown][] = [['__proto__', 'own']];
  for (let i = 0; i < 24; i++) attributes.push([`many.k${i}`, `v${i}`]);
  attributes.push(['many.k3', 'last wins'], ['7', 'an index key sorts first']);
  const body = encodeTraceRequest([
    {
      spans: [
        {
          traceId: TRACE_ID,
          spanId: SPAN_ID,
          name: 'many',
          startTimeUnixNano: 1n,
          endTimeUnixNano: 2n,
          attributes: attributes as never,
        },
      ],
    },
  ]);
  const expected: Record<string, unknown> = {};
  for (const [k, v] of attributes)
    Object.defineProperty(expected, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (let round = 0; round < 3; round++) {
    const a = decodeProtobuf(body).spans[0]!.attributes;
    assert.equal(Object.getPrototypeOf(a), Object.prototype, `round ${round}`);
    assert.deepEqual(Object.keys(a), Object.keys(expected), `round ${round}`);
    assert.deepEqual(Object.getOwnPropertyDescriptor(a, '__proto__')?.value, 'own');
    assert.equal(a['many.k3'], 'last wins');
    assert.deepEqual({ ...a }, { ...expected });
  }
});

test('wire-order details: a oneof takes the member last on the wire; resource and scope may follow their spans', () => {
  const span = encodeSpan({
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    name: 'o',
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
  });
  span.message(
    9,
    new PbWriter().string(1, 'v').message(2, new PbWriter().string(1, 'first').tag(3, 0).varint(7)),
  );
  const scopeSpans = new PbWriter()
    .message(2, span)
    .message(1, new PbWriter().string(1, 'late-scope').string(2, '9'));
  const rs = new PbWriter()
    .message(2, scopeSpans)
    .message(
      1,
      new PbWriter().message(
        1,
        new PbWriter().string(1, 'service.name').message(2, new PbWriter().string(1, 'late')),
      ),
    );
  const s = decodeProtobuf(new PbWriter().message(1, rs).finish()).spans[0]!;
  assert.equal(s.attributes.v, 7n);
  assert.equal(s.scopeName, 'late-scope');
  assert.equal(s.scopeVersion, '9');
  assert.deepEqual(s.resource, { 'service.name': 'late' });
});

test('a huge id is rejected with a short message, and the other spans kept', () => {
  const huge = new Uint8Array(1024 * 1024).fill(0xab);
  const body = encodeTraceRequest([
    {
      spans: [
        { traceId: huge, spanId: SPAN_ID, name: 'huge', startTimeUnixNano: 1n, endTimeUnixNano: 2n },
        { traceId: TRACE_ID, spanId: SPAN_ID, name: 'fine', startTimeUnixNano: 1n, endTimeUnixNano: 2n },
      ],
    },
  ]);
  const r = decodeProtobuf(body);
  assert.deepEqual(
    r.spans.map((s) => s.name),
    ['fine'],
  );
  assert.equal(r.rejected, 1);
  assert.match(r.errorMessage(), /"huge": invalid trace_id "(ab){64}…"/);
  assert.ok(r.errorMessage().length < 400);
});
