// Bad input: each answered with its status, nothing offered to the pipeline.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, beforeEach, test } from 'node:test';
import { otlpSchema } from '../../helpers/otlpSchema.js';
import { startReceiver } from './harness.js';
import type { Running } from './harness.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';
const LIMIT = 64 * 1024;

let rx: Running;
before(async () => {
  rx = await startReceiver({ maxBodyBytes: LIMIT, bodyTimeoutMs: 2_000 });
});
after(() => rx.receiver.close());
beforeEach(() => {
  rx.intake.answer = { ok: true };
  rx.intake.ready = true;
});

function post(
  path: string,
  body: string | Uint8Array,
  headers: Record<string, string>,
  method = 'POST',
): Promise<Response> {
  return fetch(rx.url + path, { method, body, headers });
}

function jsonRequest(spans: Array<{ traceId: string; spanId: string; name: string }>): string {
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
}

async function nothingOffered(run: () => Promise<Response>, status: number): Promise<Response> {
  const offers = rx.intake.offers;
  const res = await run();
  assert.equal(res.status, status);
  assert.equal(rx.intake.offers, offers, 'nothing was offered to the pipeline');
  return res;
}

test('malformed protobuf → 400 with a protobuf Status', async () => {
  const res = await nothingOffered(
    () =>
      post('/v1/traces', new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]), {
        'content-type': 'application/x-protobuf',
      }),
    400,
  );
  assert.equal(res.headers.get('content-type'), 'application/x-protobuf');
  const status = otlpSchema().rpcStatus.decode(new Uint8Array(await res.arrayBuffer())) as unknown as {
    message: string;
  };
  assert.match(status.message, /not a protobuf ExportTraceServiceRequest/);
});

test('malformed JSON → 400 with a JSON Status', async () => {
  const res = await nothingOffered(
    () => post('/v1/traces', '{"resourceSpans": [', { 'content-type': 'application/json; charset=utf-8' }),
    400,
  );
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.match(((await res.json()) as { message: string }).message, /not JSON/);
});

test('wrong content type → 415; unknown content encoding → 415', async () => {
  await nothingOffered(() => post('/v1/traces', 'hello', { 'content-type': 'text/plain' }), 415);
  await nothingOffered(
    () =>
      post('/v1/traces', jsonRequest([]), { 'content-type': 'application/json', 'content-encoding': 'br' }),
    415,
  );
});

test('oversized body → 413', async () => {
  const big = jsonRequest([{ traceId: TRACE, spanId: SPAN, name: 'x'.repeat(LIMIT) }]);
  const res = await nothingOffered(
    () => post('/v1/traces', big, { 'content-type': 'application/json' }),
    413,
  );
  assert.match(((await res.json()) as { message: string }).message, /larger than 65536 bytes/);
});

test('small gzip that inflates past the limit → 413 (gzip bomb)', async () => {
  const bomb = gzipSync(Buffer.alloc(50 * LIMIT, 0x20));
  assert.ok(bomb.length < LIMIT / 4);
  await nothingOffered(
    () => post('/v1/traces', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' }),
    413,
  );
  assert.ok(rx.metrics.get('prefloop_receiver_bad_requests_total', { reason: 'too_large' }) >= 1);
});

test('gzip header on a body that is not gzip → 400', async () => {
  await nothingOffered(
    () =>
      post('/v1/traces', jsonRequest([]), { 'content-type': 'application/json', 'content-encoding': 'gzip' }),
    400,
  );
});

test('invalid span id → 200 partial success; the valid span of the same request is taken', async () => {
  const res = await post(
    '/v1/traces',
    jsonRequest([
      { traceId: TRACE, spanId: SPAN, name: 'good' },
      { traceId: TRACE, spanId: '0000000000000000', name: 'bad' },
    ]),
    { 'content-type': 'application/json' },
  );
  assert.equal(res.status, 200);
  const answer = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
  assert.equal(answer.partialSuccess.rejectedSpans, '1');
  assert.match(answer.partialSuccess.errorMessage, /"bad": invalid span_id "0000000000000000"/);
  assert.equal(rx.intake.spans.at(-1)!.name, 'good');
  assert.ok(!rx.intake.spans.some((s) => s.name === 'bad'));
});

test('a span the pipeline could not process → 200 partial success naming it, alongside invalid ones; counted', async () => {
  rx.intake.answer = { ok: true, failed: ['span eee19b7ec3c1b174 "odd" could not be processed (boom)'] };
  try {
    const res = await post(
      '/v1/traces',
      jsonRequest([
        { traceId: TRACE, spanId: SPAN, name: 'odd' },
        { traceId: TRACE, spanId: '0000000000000000', name: 'bad' },
        { traceId: TRACE, spanId: 'aaaaaaaaaaaaaaaa', name: 'good' },
      ]),
      { 'content-type': 'application/json' },
    );
    assert.equal(res.status, 200);
    const answer = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    assert.equal(answer.partialSuccess.rejectedSpans, '2');
    assert.match(answer.partialSuccess.errorMessage, /"bad": invalid span_id/);
    assert.match(answer.partialSuccess.errorMessage, /"odd" could not be processed \(boom\)/);
    const text = rx.metrics.render();
    assert.match(text, /prefloop_receiver_spans_rejected_total\{reason="processing"\} 1/);
    assert.match(text, /prefloop_receiver_spans_rejected_total\{reason="invalid"\} \d+/);
  } finally {
    rx.intake.answer = { ok: true };
  }
});

test('non-POST → 405 with Allow', async () => {
  const res = await nothingOffered(() => fetch(rx.url + '/v1/traces'), 405);
  assert.equal(res.headers.get('allow'), 'POST');
  const put = await nothingOffered(
    () => post('/v1/feedback', '{}', { 'content-type': 'application/json' }, 'PUT'),
    405,
  );
  assert.equal(put.headers.get('allow'), 'POST');
});

test('pipeline full → 429, unavailable → 503, both with Retry-After', async () => {
  const body = jsonRequest([{ traceId: TRACE, spanId: SPAN, name: 'x' }]);
  rx.intake.answer = { ok: false, reason: 'full', retryAfterSeconds: 2 };
  const full = await post('/v1/traces', body, { 'content-type': 'application/json' });
  assert.equal(full.status, 429);
  assert.equal(full.headers.get('retry-after'), '2');
  rx.intake.answer = { ok: false, reason: 'shutting_down', retryAfterSeconds: 0.2 };
  const down = await post('/v1/traces', body, { 'content-type': 'application/json' });
  assert.equal(down.status, 503);
  assert.equal(down.headers.get('retry-after'), '1');
  assert.equal(rx.metrics.get('prefloop_receiver_spans_rejected_total', { reason: 'refused' }), 2);
});

test('healthz follows intake readiness; unknown path → 404', async () => {
  assert.equal((await fetch(rx.url + '/healthz')).status, 200);
  rx.intake.ready = false;
  assert.equal((await fetch(rx.url + '/healthz')).status, 503);
  const nope = await fetch(rx.url + '/nope');
  assert.equal(nope.status, 404);
  // It echoes the path: a browser must not read it as anything but text.
  assert.equal(nope.headers.get('x-content-type-options'), 'nosniff');
});

test('feedback: good items → 200 {accepted}; defaults applied', async () => {
  const res = await post(
    '/v1/feedback',
    JSON.stringify([
      { trace_id: TRACE.toUpperCase(), span_id: SPAN, score: 1 },
      {
        session_id: 'sess-1',
        name: 'resolution',
        label: 'resolved',
        annotator_kind: 'llm',
        timestamp: '2024-05-01T10:00:00Z',
      },
    ]),
    { 'content-type': 'application/json' },
  );
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { accepted: 2 });
  const [a, b] = rx.intake.feedback.slice(-2);
  assert.equal(a!.traceId, TRACE);
  assert.equal(a!.name, 'user_feedback');
  assert.equal(a!.annotatorKind, 'HUMAN');
  assert.equal(a!.origin, 'api');
  assert.equal(b!.annotatorKind, 'LLM');
  assert.equal(b!.timeUnixNano, 1714557600000000000n);
});

test('feedback: records the pipeline leaves out are named in the answer and not counted as accepted', async () => {
  const why = 'feedback record "user_feedback" on span eee19b7ec3c1b174 could not be processed (odd)';
  rx.intake.answer = { ok: true, failedFeedback: [why] };
  const accepted = rx.metrics.get('prefloop_receiver_feedback_accepted_total');
  const res = await post(
    '/v1/feedback',
    JSON.stringify([
      { trace_id: TRACE, span_id: SPAN, score: 1 },
      { trace_id: TRACE, score: 0 },
    ]),
    { 'content-type': 'application/json' },
  );
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { accepted: 1, rejected: [why] });
  assert.equal(rx.metrics.get('prefloop_receiver_feedback_accepted_total'), accepted + 1);
});

test('bad feedback → 400 listing every problem with its index and path, nothing stored', async () => {
  const res = await nothingOffered(
    () =>
      post(
        '/v1/feedback',
        JSON.stringify([
          { trace_id: TRACE, score: 1 },
          { score: 'high' },
          { trace_id: 'xyz', annotator_kind: 'ROBOT' },
          { trace_id: TRACE, timestamp: 1e308 },
        ]),
        { 'content-type': 'application/json' },
      ),
    400,
  );
  const { problems } = (await res.json()) as { problems: string[] };
  const text = problems.join('\n');
  assert.match(text, /body\[1\]\.score/);
  assert.match(text, /body\[1\]: needs a trace_id or a session_id/);
  assert.match(text, /body\[2\]\.trace_id: must be 32 hex digits/);
  assert.match(text, /body\[2\]\.annotator_kind: must be one of HUMAN, LLM, CODE/);
  // A time DateTime64(9) cannot hold is a problem to list (it once threw, and the request was answered 500).
  assert.match(text, /body\[3\]\.timestamp: must be an ISO 8601 date/);
  await nothingOffered(() => post('/v1/feedback', 'not json', { 'content-type': 'application/json' }), 400);
});

test('feedback with an unknown key → 400 naming the key (not only the missing trace_id), nothing stored', async () => {
  const res = await nothingOffered(
    () =>
      post(
        '/v1/feedback',
        JSON.stringify([
          { trace_id: TRACE, score: 1 },
          { tracid: TRACE, label: 'up' },
        ]),
        {
          'content-type': 'application/json',
        },
      ),
    400,
  );
  const { problems } = (await res.json()) as { problems: string[] };
  assert.equal(problems[0], 'body[1].tracid: unknown key; did you mean trace_id?');
});

test('authenticate and extra routes apply on the same server', async () => {
  const guarded = await startReceiver({
    authenticate: (req) => req.headers.authorization === 'Bearer s3cret',
    routes: [{ method: 'GET', path: '/metrics', handle: (_req, res) => void res.end('ok') }],
  });
  try {
    const denied = await fetch(guarded.url + '/metrics');
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('www-authenticate'), 'Bearer');
    const traces = await fetch(guarded.url + '/v1/traces', { method: 'POST', body: '{}' });
    assert.equal(traces.status, 401);
    const ok = await fetch(guarded.url + '/metrics', { headers: { authorization: 'Bearer s3cret' } });
    assert.equal(await ok.text(), 'ok');
    const wrongMethod = await fetch(guarded.url + '/metrics', {
      method: 'POST',
      headers: { authorization: 'Bearer s3cret' },
    });
    assert.equal(wrongMethod.status, 405);
    assert.equal(guarded.intake.offers, 0);
  } finally {
    await guarded.receiver.close();
  }
});
