// Hostile JSON shapes: 19 MiB of nested arrays (or of empty objects) in an unknown field are refused before
// JSON.parse, three at once stay within a few times their bytes, and /healthz answers while they arrive.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningReceiver } from './harness.js';
import { assertStillServes, JSON_TYPE, send, startReceiver } from './harness.js';

const LIMIT = 20 * 1024 * 1024;
const SIZE = 19 * 1024 * 1024;
let r: RunningReceiver;
before(async () => {
  r = await startReceiver({ maxBodyBytes: LIMIT, bodyTimeoutMs: 60_000 });
});
after(async () => {
  await r.close();
});

function deep(): Buffer {
  const n = Math.floor((SIZE - 32) / 2);
  return Buffer.from(`{"resourceSpans":[{"x":${'['.repeat(n)}${']'.repeat(n)}}]}`);
}

function wide(): Buffer {
  return Buffer.from(`{"resourceSpans":[],"x":[${'{},'.repeat(Math.floor(SIZE / 3))}{}]}`);
}

test('three 19 MiB hostile JSON bodies at once: 400 before parsing, memory bounded, /healthz answers', async () => {
  global.gc?.();
  const bodies = [deep(), deep(), wide()];
  const bytes = bodies.reduce((n, b) => n + b.length, 0);
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const hostile = bodies.map((body) => send(r.url, { headers: JSON_TYPE, body }));
    const health = await send(r.url, { method: 'GET', path: '/healthz' });
    assert.equal(health.status, 200);
    for (const reply of await Promise.all(hostile)) {
      assert.equal(reply.status, 400);
      assert.match(reply.body.toString(), /refused before parsing: JSON (nests deeper|holds more than)/);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
  } finally {
    clearInterval(sampler);
  }
  const growth = peak - start;
  // The bodies themselves are held (request chunks, then one buffer each): a parse took 1.7 GB for one.
  assert.ok(growth < 4 * bytes, `rss grew ${growth} bytes for ${bytes} bytes of bodies`);
  assert.equal(r.intake.offers, 0);
  await assertStillServes(r);
});
