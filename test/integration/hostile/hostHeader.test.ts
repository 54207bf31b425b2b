// Without auth the receiver serves loopback Host headers only, so a page on a DNS-rebinding domain cannot post
// feedback or traces into the training data; with auth any Host is fine (issue 30).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningReceiver } from './harness.js';
import { JSON_TYPE, send, startReceiver } from './harness.js';

let open: RunningReceiver;
let authed: RunningReceiver;
before(async () => {
  open = await startReceiver();
  authed = await startReceiver({ authenticate: (req) => req.headers.authorization === 'Bearer t' });
});
after(async () => {
  await open.close();
  await authed.close();
});

const feedback = JSON.stringify({ trace_id: '0af7651916cd43dd8448eb211c80319c', score: 1 });

test('without auth a foreign Host is 403 and stores nothing; loopback hosts and /healthz are served', async () => {
  for (const host of ['rebind.attacker.example', 'rebind.attacker.example:4318', '10.0.0.1:4318']) {
    const reply = await send(open.url, {
      path: '/v1/feedback',
      headers: { ...JSON_TYPE, host },
      body: feedback,
    });
    assert.equal(reply.status, 403, host);
  }
  assert.equal(open.intake.offers, 0);
  const health = await send(open.url, {
    method: 'GET',
    path: '/healthz',
    headers: { host: 'probe.internal' },
  });
  assert.equal(health.status, 200);
  for (const host of ['localhost:4318', '127.0.0.1', '[::1]:4318']) {
    const reply = await send(open.url, {
      path: '/v1/feedback',
      headers: { ...JSON_TYPE, host },
      body: feedback,
    });
    assert.equal(reply.status, 200, host);
  }
});

test('with auth, any Host is served to a caller with the token', async () => {
  const reply = await send(authed.url, {
    path: '/v1/feedback',
    headers: { ...JSON_TYPE, host: 'prefloop.internal:4318', authorization: 'Bearer t' },
    body: feedback,
  });
  assert.equal(reply.status, 200);
});
