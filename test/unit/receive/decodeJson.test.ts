import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeJson } from '../../../src/receive/decodeJson.js';
import { OtlpDecodeError } from '../../../src/receive/DecodeResult.js';
import { hr, LINK_SPAN, LINK_TRACE, PARENT_ID, readableSpan, SPAN_ID, TRACE_ID } from './fixtures.js';

test('decodes the SDK JSON serializer output exactly', () => {
  const body = JsonTraceSerializer.serializeRequest([
    readableSpan({
      parentSpanId: PARENT_ID,
      attributes: { 'input.value': 'hi', n: 7, f: 1.5, ok: true, list: [1, 2] },
      events: [{ name: 'e', time: hr(1_700_000_000_000_000_007n), attributes: { a: 'b' } }],
      links: [{ context: { traceId: LINK_TRACE, spanId: LINK_SPAN, traceFlags: 1 } }],
    }),
  ])!;
  const result = decodeJson(body);
  assert.equal(result.rejected, 0);
  const s = result.spans[0]!;
  assert.equal(s.traceId, TRACE_ID);
  assert.equal(s.spanId, SPAN_ID);
  assert.equal(s.parentSpanId, PARENT_ID);
  assert.equal(s.kind, 3);
  assert.equal(s.startTimeUnixNano, 1_700_000_000_123_456_789n);
  assert.equal(s.endTimeUnixNano, 1_700_000_001_987_654_321n);
  assert.deepEqual(s.attributes, { 'input.value': 'hi', n: 7n, f: 1.5, ok: true, list: [1n, 2n] });
  assert.deepEqual(s.events, [
    { name: 'e', timeUnixNano: 1_700_000_000_000_000_007n, attributes: { a: 'b' } },
  ]);
  assert.equal(s.links[0]!.traceId, LINK_TRACE);
  assert.equal(s.statusCode, 2);
  assert.equal(s.resource['service.name'], 'chat-api');
  assert.equal(s.scopeName, 'openinference.instrumentation.openai');
});

test('accepts snake_case names, enum names, int64 as strings or numbers, upper-case hex; ignores unknown fields', () => {
  const body = JSON.stringify({
    resource_spans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { string_value: 'svc' } }] },
        scope_spans: [
          {
            scope: { name: 'sc', version: '1', whatever: 1 },
            spans: [
              {
                trace_id: TRACE_ID.toUpperCase(),
                span_id: SPAN_ID,
                parent_span_id: '',
                name: 'n',
                kind: 'SPAN_KIND_SERVER',
                start_time_unix_nano: '1700000000000000001',
                end_time_unix_nano: 1700000000,
                attributes: [
                  { key: 'i', value: { int_value: '-9223372036854775808' } },
                  { key: 'd', value: { double_value: 'NaN' } },
                  { key: 'b', value: { bytes_value: Buffer.from([1, 2, 3]).toString('base64') } },
                  {
                    key: 'kv',
                    value: { kvlist_value: { values: [{ key: 'x', value: { bool_value: true } }] } },
                  },
                  { key: 'arr', value: { array_value: { values: [{ string_value: 'a' }] } } },
                  { key: 'empty', value: {} },
                ],
                status: { code: 'STATUS_CODE_OK' },
                future_field: { anything: true },
              },
            ],
          },
        ],
      },
    ],
  });
  const s = decodeJson(body).spans[0]!;
  assert.equal(s.traceId, TRACE_ID);
  assert.equal(s.kind, 2);
  assert.equal(s.startTimeUnixNano, 1700000000000000001n);
  assert.equal(s.endTimeUnixNano, 1700000000n);
  assert.equal(s.attributes.i, -9223372036854775808n);
  assert.ok(Number.isNaN(s.attributes.d));
  assert.deepEqual(s.attributes.b, new Uint8Array([1, 2, 3]));
  assert.deepEqual(s.attributes.kv, { x: true });
  assert.deepEqual(s.attributes.arr, ['a']);
  assert.equal(s.attributes.empty, null);
  assert.equal(s.statusCode, 1);
  assert.equal(s.resource['service.name'], 'svc');
  assert.equal(s.scopeVersion, '1');
});

test('rejects bad ids per span (partial success), keeps the rest', () => {
  const span = (traceId: unknown, spanId: unknown, name: string) => ({ traceId, spanId, name });
  const body = JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              span(TRACE_ID, SPAN_ID, 'ok'),
              span(TRACE_ID, 'xyz', 'short'),
              span('', SPAN_ID, 'empty trace'),
              span(TRACE_ID, 12, 'numeric'),
            ],
          },
        ],
      },
    ],
  });
  const result = decodeJson(body);
  assert.deepEqual(
    result.spans.map((s) => s.name),
    ['ok'],
  );
  assert.equal(result.rejected, 3);
  assert.match(result.errorMessage(), /"short": invalid span_id "xyz"/);
});

test('throws OtlpDecodeError for non-JSON, non-objects and wrong structure', () => {
  assert.throws(() => decodeJson('{"resourceSpans": ['), OtlpDecodeError);
  assert.throws(() => decodeJson('[1,2]'), OtlpDecodeError);
  assert.throws(() => decodeJson('{"resourceSpans": 5}'), /resourceSpans must be an array/);
  assert.throws(
    () =>
      decodeJson(
        JSON.stringify({
          resourceSpans: [
            { scopeSpans: [{ spans: [{ traceId: TRACE_ID, spanId: SPAN_ID, startTimeUnixNano: 'soon' }] }] },
          ],
        }),
      ),
    /not an int64/,
  );
});

/** One span whose `deep` attribute is an array nested `levels` deep around a string. */
function deepArrayRequest(levels: number): string {
  const deep = '{"arrayValue":{"values":['.repeat(levels) + '{"stringValue":"x"}' + ']}}'.repeat(levels);
  return `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${TRACE_ID}","spanId":"${SPAN_ID}","name":"d","attributes":[{"key":"deep","value":${deep}}]}]}]}]}`;
}

test('nesting is bounded as in protobuf: 47 array levels decode, 48 and 10,000 are OtlpDecodeErrors', () => {
  // A span attribute's AnyValue is message depth 5 and each array level adds 2: 5 + 2·47 = 99 ≤ 100.
  let v: unknown = decodeJson(deepArrayRequest(47)).spans[0]!.attributes.deep;
  for (let i = 0; i < 47; i++) v = (v as unknown[])[0];
  assert.equal(v, 'x');
  assert.throws(() => decodeJson(deepArrayRequest(48)), {
    name: 'OtlpDecodeError',
    message: /nested deeper than 100/,
  });
  assert.throws(() => decodeJson(deepArrayRequest(10_000)), OtlpDecodeError);
});

test('__proto__ is an ordinary attribute key: an own property, the prototype untouched', () => {
  const body = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${TRACE_ID}","spanId":"${SPAN_ID}","name":"p","attributes":[{"key":"__proto__","value":{"kvlistValue":{"values":[{"key":"polluted","value":{"stringValue":"yes"}}]}}}]}]}]}]}`;
  const a = decodeJson(body).spans[0]!.attributes;
  assert.equal(Object.getPrototypeOf(a), Object.prototype);
  assert.deepEqual(Object.keys(a), ['__proto__']);
  assert.equal((a as Record<string, unknown>).polluted, undefined);
});

test('a huge bad id is quoted back cut short', () => {
  const body = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${'ab'.repeat(100_000)}","spanId":"${SPAN_ID}","name":"huge"}]}]}]}`;
  const r = decodeJson(body);
  assert.equal(r.rejected, 1);
  assert.match(r.errorMessage(), /invalid trace_id "(ab){64}…"/);
  assert.ok(r.errorMessage().length < 400);
});
