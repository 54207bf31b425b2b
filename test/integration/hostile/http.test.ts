// HTTP-level hostility: wrong methods, content types and paths; bearer auth; TLS end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBearerAuth } from '../../../src/security/bearerAuth.js';
import { loadTls } from '../../../src/security/tls.js';
import { PROTOBUF, assertStillServes, goodBody, postProtobuf, send, startReceiver } from './harness.js';

test('wrong methods are 405, wrong content types 415, unknown paths 404; nothing offered', async () => {
  const r = await startReceiver();
  try {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const reply = await send(r.url, {
        method,
        headers: PROTOBUF,
        body: method === 'GET' ? undefined : goodBody(1),
      });
      assert.equal(reply.status, 405, `${method} → ${reply.status}`);
    }
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', '']) {
      const headers = type ? { 'content-type': type } : {};
      const reply = await send(r.url, { headers, body: goodBody(1) });
      assert.equal(reply.status, 415, `content-type ${JSON.stringify(type)} → ${reply.status}`);
    }
    const nowhere = await send(r.url, { path: '/v1/nothing', headers: PROTOBUF, body: goodBody(1) });
    assert.equal(nowhere.status, 404);
    const traversal = await send(r.url, {
      path: '/v1/traces/../../etc/passwd',
      headers: PROTOBUF,
      body: goodBody(1),
    });
    assert.ok(traversal.status >= 400 && traversal.status < 500);
    assert.equal(r.intake.offers, 0);
    // The content type parameter and case are tolerated.
    const ok = await send(r.url, {
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
      body: '{}',
    });
    assert.equal(ok.status, 200);
    await assertStillServes(r);
  } finally {
    await r.close();
  }
});

test('bearer auth: missing or wrong token is 401 and offers nothing; the right one is 200', async () => {
  const r = await startReceiver({ authenticate: createBearerAuth(['s3cret-token', 'second-token']) });
  try {
    for (const auth of [
      undefined,
      'Bearer wrong',
      'Bearer s3cret-toke',
      'Basic czNjcmV0LXRva2Vu',
      's3cret-token',
    ]) {
      const reply = await postProtobuf(r.url, goodBody(1), auth === undefined ? {} : { authorization: auth });
      assert.equal(reply.status, 401, `${String(auth)} → ${reply.status}`);
    }
    assert.equal(r.intake.offers, 0);
    await assertStillServes(r, { authorization: 'Bearer s3cret-token' });
    await assertStillServes(r, { authorization: 'Bearer second-token' });
  } finally {
    await r.close();
  }
});

test('TLS end to end with a self-signed certificate', async () => {
  const fixtures = fileURLToPath(new URL('../../fixtures/tls/', import.meta.url));
  const tls = loadTls({ cert_file: join(fixtures, 'cert.pem'), key_file: join(fixtures, 'key.pem') });
  const r = await startReceiver({ tls });
  try {
    assert.match(r.url, /^https:/);
    const reply = await send(r.url, { headers: PROTOBUF, body: goodBody(2), ca: tls.cert });
    assert.equal(reply.status, 200);
    assert.equal(r.intake.spans.length, 2);
    // A client that does not trust the certificate cannot talk to it.
    await assert.rejects(
      send(r.url, { headers: PROTOBUF, body: goodBody(1) }),
      /self[- ]signed|certificate/i,
    );
    assert.equal(r.intake.spans.length, 2);
  } finally {
    await r.close();
  }
});
