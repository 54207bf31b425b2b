// The hand-written OTLP/HTTP answers against protobufjs and the OTLP protos (the reference encoder).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeExportResponse, encodeStatus } from '../../../src/receive/encodeResponse.js';
import { otlpSchema } from '../../helpers/otlpSchema.js';

/** protobufjs's bytes for `object`, with the proto3 defaults left out as a proto3 encoder leaves them. */
function reference(
  type: ReturnType<typeof otlpSchema>['rpcStatus'],
  object: Record<string, unknown>,
): Buffer {
  return Buffer.from(type.encode(type.fromObject(object)).finish());
}

test('ExportTraceServiceResponse: the bytes protobufjs writes, and it reads them back', () => {
  const type = otlpSchema().exportResponse;
  assert.equal(encodeExportResponse('protobuf', 0, '').length, 0);
  const cases: Array<[number, string]> = [
    [3, 'bad ids'],
    [1, ''],
    [0, 'only a warning'],
    [300, 'x'.repeat(200)],
    [2 ** 40 + 5, 'ünïcødé ✓ 🙂'],
  ];
  for (const [rejectedSpans, errorMessage] of cases) {
    const got = Buffer.from(encodeExportResponse('protobuf', rejectedSpans, errorMessage));
    const partial: Record<string, unknown> = {};
    if (rejectedSpans !== 0) partial.rejectedSpans = rejectedSpans;
    if (errorMessage !== '') partial.errorMessage = errorMessage;
    assert.deepEqual(got, reference(type, { partialSuccess: partial }), `${rejectedSpans} ${errorMessage}`);
    const decoded = type.toObject(type.decode(got), { longs: String, defaults: true });
    assert.deepEqual(decoded, {
      partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage },
    });
  }
  assert.deepEqual(JSON.parse(Buffer.from(encodeExportResponse('json', 3, 'bad ids')).toString()), {
    partialSuccess: { rejectedSpans: '3', errorMessage: 'bad ids' },
  });
  assert.equal(Buffer.from(encodeExportResponse('json', 0, '')).toString(), '{}');
});

test('google.rpc.Status: the bytes protobufjs writes, negative codes included', () => {
  const type = otlpSchema().rpcStatus;
  for (const [code, message] of [
    [3, 'body does not decode'],
    [0, ''],
    [8, ''],
    [0, 'no code'],
    [-1, 'negative'],
    [2 ** 31 - 1, 'max'],
  ] as Array<[number, string]>) {
    const object: Record<string, unknown> = {};
    if (code !== 0) object.code = code;
    if (message !== '') object.message = message;
    const got = Buffer.from(encodeStatus('protobuf', code, message));
    assert.deepEqual(got, reference(type, object), `${code} ${message}`);
    assert.deepEqual(type.toObject(type.decode(got), { defaults: true }), { code, message });
  }
  assert.deepEqual(JSON.parse(Buffer.from(encodeStatus('json', 400, 'bad')).toString()), {
    code: 400,
    message: 'bad',
  });
});
