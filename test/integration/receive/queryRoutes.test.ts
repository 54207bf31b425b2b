// Mounted routes (serve's /v1/query): ingest tokens do not open them, the lock token does; the receiver's own
// body limit does not touch them (a read larger than max_request_body_size goes through), and writes are refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import type { ClickHouseClient } from '@clickhouse/client';
import { defaultConfig } from '../../../src/config/loadConfig.js';
import { ENV, PATHS } from '../../../src/names.js';
import { readServeLock } from '../../../src/serve/serveLock.js';
import { startPrefloop } from '../../../src/serve/startPrefloop.js';
import type { RunningPrefloop } from '../../../src/serve/startPrefloop.js';
import { JSON_TYPE, send } from '../hostile/harness.js';

const TOKEN = 'query-routes-token';
/** Small on purpose: the insert below is several times larger. */
const MAX_BODY = 64 * 1024;

let dir: string;
let prefloop: RunningPrefloop;
let client: ClickHouseClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prefloop-query-routes-'));
  const config = defaultConfig();
  const http = config.receiver.protocols.http;
  http.max_request_body_size = MAX_BODY;
  http.auth = { bearer_tokens_env: ENV.authTokens };
  prefloop = await startPrefloop({
    config,
    storeUrl: `embedded:${dir}`,
    endpoint: '127.0.0.1:0',
    env: { [ENV.authTokens]: TOKEN },
  });
  client = createClient({
    url: prefloop.url,
    pathname: PATHS.query,
    access_token: readServeLock(dir)!.token!,
    compression: { request: false, response: false },
  });
});

after(async () => {
  await client.close();
  await prefloop.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

test('every /v1/query route answers 401 without the lock token, an ingest token included, GET and POST alike', async () => {
  for (const path of [PATHS.query, `${PATHS.query}/`, `${PATHS.query}/ping`])
    for (const method of ['GET', 'POST']) {
      const reply = await send(prefloop.url, { method, path: `${path}?query=SELECT%201`, body: 'SELECT 1' });
      assert.equal(reply.status, 401, `${method} ${path}`);
      assert.equal(reply.headers['www-authenticate'], 'Bearer', `${method} ${path}`);
      const wrong = await send(prefloop.url, {
        method,
        path: `${path}?query=SELECT%201`,
        headers: { authorization: 'Bearer not-the-token' },
        body: 'SELECT 1',
      });
      assert.equal(wrong.status, 401, `${method} ${path} with a wrong token`);
      const ingest = await send(prefloop.url, {
        method,
        path: `${path}?query=SELECT%201`,
        headers: { authorization: `Bearer ${TOKEN}` },
        body: 'SELECT 1',
      });
      assert.equal(ingest.status, 401, `${method} ${path} with the ingest token`);
    }
  // The OTLP routes are guarded by the same check.
  const traces = await send(prefloop.url, { headers: JSON_TYPE, body: '{}' });
  assert.equal(traces.status, 401);
});

test('with the lock token, a read twice max_request_body_size goes through; writes are refused', async () => {
  const text = 'x'.repeat(2 * MAX_BODY); // under the engine's max_query_size (256 KiB)
  const result = await client.query({ query: `SELECT length('${text}') AS n`, format: 'JSONEachRow' });
  const [row] = await result.json<{ n: string }>();
  assert.equal(Number(row?.n), text.length);
  await assert.rejects(
    client.command({ query: 'CREATE TABLE t (id UInt32) ENGINE = MergeTree ORDER BY id' }),
    /READONLY|only reads/,
  );
  await assert.rejects(
    client.insert({ table: 'otel_traces', values: [{ TraceId: 'a' }], format: 'JSONEachRow' }),
    /only reads run here/,
  );
  // The same size on /v1/traces is refused by the receiver's limit: the limit is there, just not on these routes.
  const traces = await send(prefloop.url, {
    headers: { ...JSON_TYPE, authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(2 * MAX_BODY) }),
  });
  assert.equal(traces.status, 413);
});
