// An attribute key past MAX_ATTRIBUTE_KEY_LENGTH (an 18 MiB key was accepted) rejects its span, counted in
// partial_success like any other refused span; the request's other spans are kept (issue 30).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTraceRequest } from '../../../bench/otlpWire.js';
import { MAX_ATTRIBUTE_KEY_LENGTH } from '../../../src/receive/attributeKeys.js';
import type { RunningReceiver } from './harness.js';
import {
  assertStillServes,
  goodSpan,
  JSON_TYPE,
  partialSuccess,
  postProtobuf,
  send,
  startReceiver,
} from './harness.js';

let r: RunningReceiver;
before(async () => {
  r = await startReceiver({ maxBodyBytes: 24 * 1024 * 1024 });
});
after(async () => {
  await r.close();
});

test('protobuf: an 18 MiB key, and one just past the cap nested in a kvlist, reject their spans only', async () => {
  const huge = 'k'.repeat(18 * 1024 * 1024);
  const past = 'n'.repeat(MAX_ATTRIBUTE_KEY_LENGTH + 1);
  const body = encodeTraceRequest([
    {
      spans: [
        goodSpan({ attributes: [[huge, 'v']] }),
        goodSpan({ spanId: '00f067aa0ba902b8', attributes: [['outer', { kv: [[past, 'v']] }]] }),
        goodSpan({ spanId: '00f067aa0ba902b9', attributes: [['k'.repeat(MAX_ATTRIBUTE_KEY_LENGTH), 'v']] }),
      ],
    },
  ]);
  const before = r.intake.spans.length;
  const reply = await postProtobuf(r.url, body);
  assert.equal(reply.status, 200);
  const partial = partialSuccess(reply.body);
  assert.equal(partial.rejectedSpans, 2);
  assert.match(partial.errorMessage, /is 18874368 characters long \(at most 1024\); shorten it/);
  assert.equal(r.intake.spans.length - before, 1, 'the span with a key at the cap is kept');
  await assertStillServes(r);
});

test('JSON: a key past the cap in a resource rejects the span', async () => {
  const span = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    name: 'x',
    startTimeUnixNano: '1',
    endTimeUnixNano: '2',
  };
  const key = 'r'.repeat(MAX_ATTRIBUTE_KEY_LENGTH + 1);
  const reply = await send(r.url, {
    headers: JSON_TYPE,
    body: JSON.stringify({
      resourceSpans: [
        { resource: { attributes: [{ key, value: { stringValue: 'v' } }] }, scopeSpans: [{ spans: [span] }] },
      ],
    }),
  });
  assert.equal(reply.status, 200);
  const answer = JSON.parse(reply.body.toString()) as {
    partialSuccess?: { rejectedSpans?: string | number };
  };
  assert.equal(Number(answer.partialSuccess?.rejectedSpans), 1);
});
