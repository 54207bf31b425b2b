import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeProtobuf } from '../../../src/receive/decodeProtobuf.js';
import { OtlpDecodeError } from '../../../src/receive/DecodeResult.js';
import { otlpSchema } from '../../helpers/otlpSchema.js';
import { hr, LINK_SPAN, LINK_TRACE, PARENT_ID, readableSpan, SPAN_ID, TRACE_ID } from './fixtures.js';

test('decodes the SDK protobuf serializer output exactly: ids, times, attributes, events, links', () => {
  const body = ProtobufTraceSerializer.serializeRequest([
    readableSpan({
      parentSpanId: PARENT_ID,
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.token_count.prompt': 12,
        temperature: 0.25,
        stream: false,
        'tag.tags': ['a', 'b'],
      },
      events: [{ name: 'first_token', time: hr(1_700_000_000_500_000_001n), attributes: { n: 1 } }],
      links: [{ context: { traceId: LINK_TRACE, spanId: LINK_SPAN, traceFlags: 1 }, attributes: { k: 'v' } }],
    }),
  ]);
  assert.ok(body);
  const result = decodeProtobuf(body);
  assert.equal(result.rejected, 0);
  assert.equal(result.spans.length, 1);
  const s = result.spans[0]!;
  assert.equal(s.traceId, TRACE_ID);
  assert.equal(s.spanId, SPAN_ID);
  assert.equal(s.parentSpanId, PARENT_ID);
  assert.equal(s.name, 'llm call');
  assert.equal(s.kind, 3); // api SpanKind.CLIENT (2) is OTLP SPAN_KIND_CLIENT (3)
  assert.equal(s.startTimeUnixNano, 1_700_000_000_123_456_789n);
  assert.equal(s.endTimeUnixNano, 1_700_000_001_987_654_321n);
  assert.deepEqual(s.attributes, {
    'openinference.span.kind': 'LLM',
    'llm.token_count.prompt': 12n,
    temperature: 0.25,
    stream: false,
    'tag.tags': ['a', 'b'],
  });
  assert.deepEqual(s.events, [
    { name: 'first_token', timeUnixNano: 1_700_000_000_500_000_001n, attributes: { n: 1n } },
  ]);
  assert.deepEqual(s.links, [
    { traceId: LINK_TRACE, spanId: LINK_SPAN, traceState: '', attributes: { k: 'v' } },
  ]);
  assert.equal(s.statusCode, 2);
  assert.equal(s.statusMessage, 'boom');
  assert.equal(s.resource['service.name'], 'chat-api');
  assert.equal(s.scopeName, 'openinference.instrumentation.openai');
  assert.equal(s.scopeVersion, '1.2.3');
});

test('keeps int64 past 2^53, bytes, nested arrays and kvlists exact', () => {
  const type = otlpSchema().exportRequest;
  const body = type
    .encode(
      type.fromObject({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: Buffer.from(TRACE_ID, 'hex'),
                    spanId: Buffer.from(SPAN_ID, 'hex'),
                    name: 'x',
                    startTimeUnixNano: '18446744073709551615',
                    attributes: [
                      { key: 'big', value: { intValue: '9007199254740993' } },
                      { key: 'neg', value: { intValue: '-9223372036854775808' } },
                      { key: 'raw', value: { bytesValue: Buffer.from([0, 1, 255]) } },
                      {
                        key: 'nested',
                        value: {
                          kvlistValue: {
                            values: [
                              {
                                key: 'list',
                                value: { arrayValue: { values: [{ intValue: 1 }, { stringValue: 's' }] } },
                              },
                              { key: 'empty', value: {} },
                            ],
                          },
                        },
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    )
    .finish();
  const s = decodeProtobuf(body).spans[0]!;
  assert.equal(s.startTimeUnixNano, 18446744073709551615n);
  assert.equal(s.attributes.big, 9007199254740993n);
  assert.equal(s.attributes.neg, -9223372036854775808n);
  assert.deepEqual(s.attributes.raw, new Uint8Array([0, 1, 255]));
  assert.deepEqual(s.attributes.nested, { list: [1n, 's'], empty: null });
  assert.equal(s.parentSpanId, '');
});

test('rejects spans with invalid ids but keeps the valid ones of the same request', () => {
  const body = ProtobufTraceSerializer.serializeRequest([
    readableSpan({ name: 'good' }),
    readableSpan({ name: 'zero span', spanId: '0000000000000000' }),
    readableSpan({ name: 'zero trace', traceId: '00000000000000000000000000000000' }),
  ])!;
  const result = decodeProtobuf(body);
  assert.deepEqual(
    result.spans.map((s) => s.name),
    ['good'],
  );
  assert.equal(result.rejected, 2);
  assert.match(
    result.errorMessage(),
    /rejected 2 span\(s\).*"zero span": invalid span_id.*"zero trace": invalid trace_id/,
  );
});

test('throws OtlpDecodeError on bytes that are not a trace request', () => {
  assert.throws(() => decodeProtobuf(Buffer.from('this is not protobuf at all, just text')), OtlpDecodeError);
  assert.throws(() => decodeProtobuf(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f])), OtlpDecodeError);
});

test('an empty body is an empty request', () => {
  assert.equal(decodeProtobuf(new Uint8Array(0)).spans.length, 0);
});
