// serve's SQL route: ingest tokens never open it; the lock file's per-run token or a query_auth token does, and
// then only reads run, sandboxed (the probes: files, INSERT INTO FUNCTION, url(), INTO OUTFILE, readonly).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/loadConfig.js';
import { readServeLock, SERVE_LOCK_FILE } from '../../../src/serve/serveLock.js';
import { startPrefloop } from '../../../src/serve/startPrefloop.js';
import type { RunningPrefloop } from '../../../src/serve/startPrefloop.js';

const INGEST = 'ingest-token';
const QUERY = 'query-token';
let dir: string;
let folder: string;
let running: RunningPrefloop;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prefloop-qtoken-'));
  folder = join(dir, 'store');
  const config = parseConfig(
    `
receivers:
  otlp: { protocols: { http: { auth: { bearer_tokens_env: T_INGEST }, query_auth: { bearer_tokens_env: T_QUERY } } } }
exporters: { clickhouse: {} }
service: { pipelines: { traces: { receivers: [otlp], exporters: [clickhouse] } } }`,
    'query.yaml',
    {},
  );
  running = await startPrefloop({
    config,
    storeUrl: `embedded:${folder}`,
    endpoint: '127.0.0.1:0',
    env: { T_INGEST: INGEST, T_QUERY: QUERY },
  });
});

after(async () => {
  await running.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

function query(sql: string, token: string): Promise<Response> {
  return fetch(`${running.url}/v1/query/?default_format=TabSeparated`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: sql,
  });
}

test('an ingest token is refused on /v1/query; the lock token and a query_auth token are not', async () => {
  const lock = readServeLock(folder)!;
  assert.match(lock.token ?? '', /^[0-9a-f]{48}$/);
  assert.equal(statSync(join(folder, SERVE_LOCK_FILE)).mode & 0o777, 0o600);
  assert.equal((await query('SELECT 1', INGEST)).status, 401);
  assert.equal((await query('SELECT 1', 'nope')).status, 401);
  for (const token of [lock.token!, QUERY]) {
    const ok = await query('SELECT 1', token);
    assert.equal(ok.status, 200);
    assert.equal((await ok.text()).trim(), '1');
  }
  // The query token opens nothing else.
  const traces = await fetch(`${running.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${QUERY}` },
    body: '{}',
  });
  assert.equal(traces.status, 401);
});

test('with the lock token, the issue’s probes are refused and touch no file or URL; readonly is 1', async () => {
  const token = readServeLock(folder)!.token!;
  const hits: string[] = [];
  const listener = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('x\n');
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const port = (listener.address() as AddressInfo).port;
  const written = join(dir, 'x.txt');
  const outfile = join(dir, 'out.txt');
  try {
    const probes = [
      "SELECT * FROM file('/etc/passwd','LineAsString') LIMIT 2",
      `INSERT INTO FUNCTION file('${written}','LineAsString') SELECT 'x'`,
      `SELECT * FROM url('http://127.0.0.1:${port}/healthz', 'LineAsString')`,
      `SELECT 1 INTO OUTFILE '${outfile}'`,
      'DROP TABLE otel_traces',
      'SET readonly = 0',
      "SELECT * FROM (SELECT getSetting('readonly') SETTINGS readonly = 0)",
    ];
    for (const sql of probes) {
      const reply = await query(sql, token);
      assert.equal(reply.status, 403, sql);
      assert.match(await reply.text(), /\(READONLY\)/, sql);
    }
    assert.equal(existsSync(written), false);
    assert.equal(existsSync(outfile), false);
    assert.deepEqual(hits, []);
    const readonly = await query("SELECT getSetting('readonly')", token);
    assert.equal((await readonly.text()).trim(), '1');
    const tables = await query(
      "SELECT count() FROM system.tables WHERE database = 'prefloop' AND name = 'otel_traces'",
      token,
    );
    assert.equal((await tables.text()).trim(), '1', 'the table is still there');
  } finally {
    listener.close();
  }
});
