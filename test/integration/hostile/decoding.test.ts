// Hostile and broken bodies against the real receiver: each gets a clear 4xx (or a partial success
// that names the bad spans), nothing of a rejected body is offered, and the next good request works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import {
  PbWriter,
  encodeDeepKvlistRequest,
  encodeSpan,
  encodeTraceRequest,
} from '../../../bench/otlpWire.js';
import type { WireAttr } from '../../../bench/otlpWire.js';
import { DEFAULTS } from '../../../src/names.js';
import type { RunningReceiver } from './harness.js';
import {
  JSON_TYPE,
  assertStillServes,
  goodBody,
  goodSpan,
  isValidDecodedSpan,
  partialSuccess,
  postProtobuf,
  send,
  startReceiver,
} from './harness.js';

let r: RunningReceiver;
before(async () => {
  r = await startReceiver({ maxBodyBytes: 8 * 1024 * 1024 });
});
after(async () => {
  await r.close();
});

async function expectRejected(body: Uint8Array | string, status: number, headers = {}): Promise<void> {
  const offersBefore = r.intake.offers;
  const reply = await send(r.url, {
    headers: { 'content-type': 'application/x-protobuf', ...headers },
    body,
  });
  assert.equal(
    reply.status,
    status,
    `expected ${status}, got ${reply.status}: ${reply.body.toString().slice(0, 200)}`,
  );
  assert.equal(r.intake.offers, offersBefore, 'a rejected body offered nothing');
  await assertStillServes(r);
}

test('truncated protobuf: 400 at every cut inside the message', async () => {
  const body = goodBody(3);
  for (const cut of [1, 2, 7, Math.floor(body.length / 2), body.length - 1]) {
    await expectRejected(body.subarray(0, cut), 400);
  }
});

test('garbage protobuf: bad wire type and impossible lengths are 400', async () => {
  await expectRejected(Uint8Array.from([0x0f, 0x01]), 400); // wire type 7 does not exist
  await expectRejected(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), 400); // length past the end
  await expectRejected(
    Uint8Array.from([0x0a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
    400,
  );
});

test('protobuf sent as gzip without saying so, and gzip that is not gzip, are 400', async () => {
  await expectRejected(gzipSync(goodBody(1)), 400);
  await expectRejected(goodBody(1), 400, { 'content-encoding': 'gzip' });
});

test('kvlist nested 10,000 deep: rejected (400), the process survives', async () => {
  const body = encodeDeepKvlistRequest(goodSpan(), 10_000);
  await expectRejected(body, 400);
});

test('array nested 10,000 deep in JSON: rejected (400), the process survives', async () => {
  const span = {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    name: 'deep',
    startTimeUnixNano: '1',
    endTimeUnixNano: '2',
    attributes: [{ key: 'deep', value: '__DEEP__' }],
  };
  const deep = '{"arrayValue":{"values":['.repeat(10_000) + '{"stringValue":"x"}' + ']}}'.repeat(10_000);
  const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }).replace(
    '"__DEEP__"',
    deep,
  );
  const offersBefore = r.intake.offers;
  const reply = await send(r.url, { headers: JSON_TYPE, body });
  assert.equal(reply.status, 400, reply.body.toString().slice(0, 200));
  assert.equal(r.intake.offers, offersBefore);
  await assertStillServes(r);
});

test('huge attribute value within the limit is taken whole', async () => {
  const value = 'x'.repeat(5 * 1024 * 1024);
  const before = r.intake.spans.length;
  const reply = await postProtobuf(
    r.url,
    encodeTraceRequest([{ spans: [goodSpan({ attributes: [['big', value]] })] }]),
  );
  assert.equal(reply.status, 200);
  assert.equal(r.intake.spans.length, before + 1);
  assert.equal((r.intake.spans.at(-1)!.attributes.big as string).length, value.length);
});

test('a million attributes in one span: kept whole under the default body limit, 413 over a smaller one', async () => {
  const attributes: WireAttr[] = [];
  for (let i = 0; i < 1_000_000; i++) attributes.push([`a${i}`, i]);
  const body = encodeTraceRequest([{ spans: [goodSpan({ attributes })] }]);
  // The body limit (after decompression) is the bound: a span under it is kept as sent, as OTLP asks.
  const defaults = await startReceiver({ maxBodyBytes: DEFAULTS.maxBodyBytes });
  try {
    assert.equal((await postProtobuf(defaults.url, body)).status, 200);
    assert.equal(defaults.intake.spans.length, 1);
    assert.equal(Object.keys(defaults.intake.spans[0]!.attributes).length, 1_000_000);
    await assertStillServes(defaults);
  } finally {
    await defaults.close();
  }
  const before = r.intake.spans.length;
  assert.equal((await postProtobuf(r.url, body)).status, 413);
  assert.equal(r.intake.spans.length, before);
  await assertStillServes(r);
});

test('invalid UTF-8 in strings: accepted, each bad sequence replaced by U+FFFD (well-formed text)', async () => {
  const bad = Uint8Array.from([0x61, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x62]);
  const span = encodeSpan(goodSpan({ name: bad, attributes: [['ok', 'fine']] }));
  // The attribute value as raw bytes under the string field.
  const kv = new PbWriter().string(1, 'bad').message(2, new PbWriter().bytes(1, bad));
  span.message(9, kv);
  const body = new PbWriter().message(1, new PbWriter().message(2, new PbWriter().message(2, span))).finish();
  const before = r.intake.spans.length;
  const reply = await postProtobuf(r.url, body);
  assert.equal(reply.status, 200);
  const s = r.intake.spans.at(-1)!;
  assert.equal(r.intake.spans.length, before + 1);
  assert.ok(wellFormed(s.name), 'span name is well-formed UTF-16');
  assert.ok(wellFormed(s.attributes.bad as string), 'attribute is well-formed UTF-16');
  assert.ok(s.name.startsWith('a\uFFFD') && s.name.endsWith('b'), JSON.stringify(s.name));
  await assertStillServes(r);
});

test('wrong-length and zero ids: those spans are rejected by name, good ones in the same request kept', async () => {
  const good = goodSpan();
  const bad = [
    goodSpan({ traceId: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }),
    goodSpan({ spanId: new Uint8Array(16).fill(7) }),
    goodSpan({ traceId: new Uint8Array(16) }),
    goodSpan({ spanId: new Uint8Array(0) }),
    goodSpan({ parentSpanId: Uint8Array.from([1, 2, 3]) }),
  ];
  const before = r.intake.spans.length;
  const reply = await postProtobuf(r.url, encodeTraceRequest([{ spans: [bad[0]!, good, ...bad.slice(1)] }]));
  if (reply.status === 200) {
    const ps = partialSuccess(reply.body);
    assert.equal(ps.rejectedSpans, bad.length, ps.errorMessage);
    assert.notEqual(ps.errorMessage, '');
    assert.equal(r.intake.spans.length, before + 1);
    assert.equal(r.intake.spans.at(-1)!.spanId, good.spanId);
  } else {
    assert.equal(reply.status, 400);
    assert.equal(r.intake.spans.length, before);
  }
  assert.ok(r.intake.spans.every(isValidDecodedSpan));
  await assertStillServes(r);
});

test('unknown protobuf fields are ignored', async () => {
  const span = encodeSpan(goodSpan()).tag(999, 0).varint(42).string(1000, 'future');
  const scope = new PbWriter().message(2, span).tag(77, 0).varint(1);
  const body = new PbWriter()
    .message(1, new PbWriter().message(2, scope).string(55, 'x'))
    .tag(123, 5)
    .raw(new Uint8Array(4))
    .finish();
  const before = r.intake.spans.length;
  const reply = await postProtobuf(r.url, body);
  assert.equal(reply.status, 200);
  assert.equal(r.intake.spans.length, before + 1);
});

test('invalid JSON and JSON of the wrong shape are 400', async () => {
  for (const body of [
    '{"resourceSpans": [',
    'null',
    '[]',
    '"text"',
    '{"resourceSpans": "x"}',
    '\u0000\u0001',
  ]) {
    const offersBefore = r.intake.offers;
    const reply = await send(r.url, { headers: JSON_TYPE, body });
    assert.equal(reply.status, 400, `${JSON.stringify(body)} → ${reply.status}`);
    assert.equal(r.intake.offers, offersBefore);
  }
  await assertStillServes(r);
});

test('unknown JSON fields are accepted and ignored', async () => {
  const body = JSON.stringify({
    resourceSpans: [
      {
        futureField: { a: 1 },
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }], extra: true },
        scopeSpans: [
          {
            scope: { name: 's' },
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60c',
                spanId: 'eee19b7ec3c1b174',
                name: 'ok',
                kind: 1,
                startTimeUnixNano: '1700000000000000000',
                endTimeUnixNano: 1700000000000001000,
                attributes: [{ key: 'k', value: { stringValue: 'v' }, weird: 1 }],
                notAField: [1, 2, 3],
              },
            ],
          },
        ],
      },
    ],
    anotherTopLevel: 'x',
  });
  const before = r.intake.spans.length;
  const reply = await send(r.url, { headers: JSON_TYPE, body });
  assert.equal(reply.status, 200, reply.body.toString());
  assert.equal(r.intake.spans.length, before + 1);
  assert.equal(r.intake.spans.at(-1)!.attributes.k, 'v');
});

test('__proto__ and constructor attribute keys stay data and pollute nothing', async () => {
  const protobufBody = encodeTraceRequest([
    {
      spans: [
        goodSpan({
          attributes: [
            ['__proto__', { kv: [['polluted', 'yes']] }],
            ['constructor', 'x'],
          ],
        }),
      ],
    },
  ]);
  const jsonBody = JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: '6b8efff798038103d269b633813fc60c',
                spanId: 'fee19b7ec3c1b174',
                name: 'proto',
                startTimeUnixNano: '1',
                endTimeUnixNano: '2',
                attributes: [
                  {
                    key: '__proto__',
                    value: {
                      kvlistValue: { values: [{ key: 'polluted', value: { stringValue: 'yes' } }] },
                    },
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  });
  for (const [type, body] of [
    ['application/x-protobuf', protobufBody],
    ['application/json', jsonBody],
  ] as const) {
    const reply = await send(r.url, { headers: { 'content-type': type }, body });
    assert.ok(reply.status === 200 || reply.status === 400, `${type}: got ${reply.status}`);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
    if (reply.status === 200) {
      const attrs = r.intake.spans.at(-1)!.attributes;
      const proto: unknown = Object.getPrototypeOf(attrs);
      assert.ok(
        proto === Object.prototype || proto === null,
        `${type}: attribute map prototype was replaced`,
      );
      assert.equal(
        (attrs as Record<string, unknown>).polluted,
        undefined,
        `${type}: value leaks via the prototype`,
      );
      assert.ok(
        Object.keys(attrs).includes('__proto__'),
        `${type}: the __proto__ attribute was dropped silently`,
      );
    }
  }
  await assertStillServes(r);
});

/** No lone surrogates (String.prototype.isWellFormed is newer than our lib target). */
function wellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
