// Size and time limits: bodies over the limit (plain or as gzip bombs) are 413, slow bodies 408.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { encodeTraceRequest } from '../../../bench/otlpWire.js';
import type { RunningReceiver } from './harness.js';
import { assertStillServes, goodBody, goodSpan, postProtobuf, startReceiver } from './harness.js';

const LIMIT = 1024 * 1024;
let r: RunningReceiver;
before(async () => {
  r = await startReceiver({ maxBodyBytes: LIMIT, bodyTimeoutMs: 400 });
});
after(async () => {
  await r.close();
});

test('a body over the limit is 413 and offers nothing', async () => {
  const body = encodeTraceRequest([{ spans: [goodSpan({ attributes: [['big', 'y'.repeat(LIMIT + 10)]] })] }]);
  const offers = r.intake.offers;
  const reply = await postProtobuf(r.url, body);
  assert.equal(reply.status, 413);
  assert.equal(r.intake.offers, offers);
  await assertStillServes(r);
});

test('a Content-Length over the limit is 413 before the body is read', async () => {
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(new URL(r.url).port), '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write(
      `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${LIMIT * 50}\r\n\r\n`,
    );
    setTimeout(() => socket.end(), 2_000).unref();
  });
  assert.match(reply, /^HTTP\/1\.1 413/);
  await assertStillServes(r);
});

test('gzip bomb: a few KB that inflate past the limit is 413', async () => {
  const zeros = Buffer.alloc(20 * LIMIT);
  const bomb = gzipSync(zeros, { level: 9 });
  assert.ok(bomb.length < 64 * 1024, `bomb is ${bomb.length} bytes`);
  const offers = r.intake.offers;
  const reply = await postProtobuf(r.url, bomb, { 'content-encoding': 'gzip' });
  assert.equal(reply.status, 413);
  assert.equal(r.intake.offers, offers);
  await assertStillServes(r);
});

test('gzip bomb of a real request (a huge attribute) is 413', async () => {
  const body = encodeTraceRequest([{ spans: [goodSpan({ attributes: [['big', 'z'.repeat(3 * LIMIT)]] })] }]);
  const reply = await postProtobuf(r.url, gzipSync(body), { 'content-encoding': 'gzip' });
  assert.equal(reply.status, 413);
});

test('gzip within the limit is taken', async () => {
  const before = r.intake.spans.length;
  const reply = await postProtobuf(r.url, gzipSync(goodBody(2)), { 'content-encoding': 'gzip' });
  assert.equal(reply.status, 200);
  assert.equal(r.intake.spans.length, before + 2);
});

test('an unknown Content-Encoding is refused with a 4xx', async () => {
  const reply = await postProtobuf(r.url, goodBody(1), { 'content-encoding': 'br-or-something' });
  assert.ok(reply.status === 415 || reply.status === 400, `got ${reply.status}`);
});

/** Opens a raw connection, sends headers and then one body byte a second; resolves with the answer. */
function slowLoris(chunked: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(r.url).port), '127.0.0.1');
    let text = '';
    const cleanup = (): void => {
      clearInterval(timer);
      socket.destroy();
    };
    socket.on('data', (d) => {
      text += d.toString();
      if (/\r\n\r\n/.test(text)) {
        cleanup();
        resolve(text);
      }
    });
    socket.on('close', () => {
      cleanup();
      resolve(text);
    });
    socket.on('error', (err) => {
      cleanup();
      if (text) resolve(text);
      else reject(err);
    });
    const length = chunked ? 'Transfer-Encoding: chunked' : 'Content-Length: 1000';
    socket.write(
      `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n${length}\r\n\r\n`,
    );
    const dribble = () => socket.write(chunked ? '1\r\nA\r\n' : 'A');
    dribble();
    const timer = setInterval(dribble, 1_000);
    // A bound on the test itself, far past the receiver's 400 ms body timeout.
    setTimeout(() => {
      cleanup();
      resolve(text);
    }, 10_000).unref();
  });
}

test('slow-loris body (a byte a second) is answered 408 and offers nothing', async () => {
  const offers = r.intake.offers;
  const answer = await slowLoris(false);
  assert.match(answer, /^HTTP\/1\.1 408/);
  assert.equal(r.intake.offers, offers);
  await assertStillServes(r);
});

test('slow-loris chunked body is answered 408', async () => {
  const answer = await slowLoris(true);
  assert.match(answer, /^HTTP\/1\.1 408/);
  await assertStillServes(r);
});

test('a body that stops short of its Content-Length offers nothing', async () => {
  const offers = r.intake.offers;
  await new Promise<void>((resolve) => {
    const socket = connect(Number(new URL(r.url).port), '127.0.0.1');
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    socket.write(
      `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nContent-Length: 500\r\n\r\n`,
    );
    socket.write(Buffer.from(goodBody(1)).subarray(0, 20));
    setTimeout(() => socket.destroy(), 100);
  });
  assert.equal(r.intake.offers, offers);
  await assertStillServes(r);
});
