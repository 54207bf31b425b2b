// serve listening on every interface: /v1/query still answers loopback peers only, even with the right token,
// and the lock names a loopback URL that clients can trust (issue 30).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/loadConfig.js';
import { readServeLock } from '../../../src/serve/serveLock.js';
import { startPrefloop } from '../../../src/serve/startPrefloop.js';

test('on 0.0.0.0, the lock token is refused from a non-loopback address and accepted from loopback', async (t) => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
  if (!external) return t.skip('no non-loopback IPv4 address here');
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-qloop-'));
  const folder = join(dir, 'store');
  const config = parseConfig(
    `
receivers: { otlp: { protocols: { http: { auth: { bearer_tokens_env: T_INGEST } } } } }
exporters: { clickhouse: {} }
service: { pipelines: { traces: { receivers: [otlp], exporters: [clickhouse] } } }`,
    'loop.yaml',
    {},
  );
  const running = await startPrefloop({
    config,
    storeUrl: `embedded:${folder}`,
    endpoint: '0.0.0.0:0',
    env: { T_INGEST: 'ingest' },
  });
  try {
    const lock = readServeLock(folder)!;
    const url = new URL(lock.url);
    assert.equal(url.hostname, '127.0.0.1');
    const headers = { authorization: `Bearer ${lock.token}` };
    const remote = await fetch(`http://${external}:${url.port}/v1/query/?query=SELECT%201`, { headers });
    assert.equal(remote.status, 403);
    assert.match(await remote.text(), /loopback clients only/);
    const local = await fetch(`${lock.url}/?query=SELECT%201`, { headers });
    assert.equal(local.status, 200);
  } finally {
    await running.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});
