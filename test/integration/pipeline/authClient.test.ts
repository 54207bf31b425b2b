// With bearer auth on, every ingest endpoint needs the token; the SQL route does not take it, and `prefloop sql`
// reaching a folder that serve holds sends the lock's own per-run token (never a secret the lock names).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/loadConfig.js';
import { startPrefloop } from '../../../src/serve/startPrefloop.js';
import type { RunningPrefloop } from '../../../src/serve/startPrefloop.js';
import {
  processStart,
  readServeLock,
  resolveClientStore,
  SERVE_LOCK_FILE,
} from '../../../src/serve/serveLock.js';

const ENV_NAME = 'PREFLOOP_TEST_TOKENS';
let dir: string;
let folder: string;
let running: RunningPrefloop;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prefloop-auth-'));
  folder = join(dir, 'store');
  const config = parseConfig(
    `
receivers: { otlp: { protocols: { http: { auth: { bearer_tokens_env: ${ENV_NAME} } } } } }
exporters: { clickhouse: {} }
service: { pipelines: { traces: { receivers: [otlp], exporters: [clickhouse] } } }`,
    'auth.yaml',
    {},
  );
  running = await startPrefloop({
    config,
    storeUrl: `embedded:${folder}`,
    endpoint: '127.0.0.1:0',
    env: { [ENV_NAME]: 'secret-1,secret-2' },
  });
});

after(async () => {
  await running.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

test('every endpoint answers 401 without the token and 200 with any configured one', async () => {
  for (const path of ['/healthz', '/metrics']) {
    const none = await fetch(`${running.url}${path}`);
    assert.equal(none.status, 401, `${path} without a token`);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
    const wrong = await fetch(`${running.url}${path}`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401, `${path} with a wrong token`);
    const right = await fetch(`${running.url}${path}`, { headers: { authorization: 'Bearer secret-2' } });
    assert.equal(right.status, 200, `${path} with a right token`);
  }
  const traces = await fetch(`${running.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(traces.status, 401);
  // An OTLP client gets the refusal in its own encoding: a google.rpc.Status, code UNAUTHENTICATED.
  assert.match(traces.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(((await traces.json()) as { code: number }).code, 16);
  const query = await fetch(`${running.url}/v1/query/ping`, {
    headers: { authorization: 'Bearer secret-2' },
  });
  assert.equal(query.status, 401, 'an ingest token does not open the SQL route');
});

test('a client command reaches the held folder with the lock token, with no ingest token in its environment', async () => {
  const lock = readServeLock(folder)!;
  assert.equal((lock as { authEnv?: string }).authEnv, undefined);
  // The lock names this process; as another process would see it, point it at a different live pid.
  const path = join(folder, SERVE_LOCK_FILE);
  rmSync(path);
  writeFileSync(path, JSON.stringify({ ...lock, pid: process.ppid, pidStart: processStart(process.ppid) }), {
    mode: 0o600,
  });
  const store = await resolveClientStore(`embedded:${folder}`);
  try {
    assert.equal(store.kind, 'http');
    const rows = await store.query<{ n: string }>('SELECT count() AS n FROM otel_traces');
    assert.equal(rows[0]!.n, '0');
  } finally {
    await store.close();
  }
});
