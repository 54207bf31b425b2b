// The SQL endpoint serve mounts for its embedded folder runs any SQL, so even on loopback it needs the
// per-run token from the owner-only lock file: a web page the user visits cannot reach it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrefloop } from '../../../src/serve/startPrefloop.js';
import { readServeLock, SERVE_LOCK_FILE } from '../../../src/serve/serveLock.js';

test('/v1/query refuses requests without the lock token, answers with it; the lock is owner-only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-qtoken-'));
  const folder = join(dir, 'store');
  const running = await startPrefloop({ storeUrl: `embedded:${folder}`, endpoint: '127.0.0.1:0' });
  try {
    const drop = `${running.url}/v1/query/?query=${encodeURIComponent('DROP TABLE otel_traces')}`;
    const refused = await fetch(drop);
    assert.equal(refused.status, 401);
    const tables = await running.store.query<{ n: string }>(
      "SELECT count() AS n FROM system.tables WHERE database = 'prefloop' AND name = 'otel_traces'",
    );
    assert.equal(tables[0]!.n, '1', 'the table is still there');

    const lock = readServeLock(folder)!;
    assert.match(lock.token ?? '', /^[0-9a-f]{48}$/);
    assert.equal(statSync(join(folder, SERVE_LOCK_FILE)).mode & 0o777, 0o600);
    const ok = await fetch(
      `${running.url}/v1/query/?query=${encodeURIComponent('SELECT 1 AS x FORMAT JSONEachRow')}`,
      {
        headers: { authorization: `Bearer ${lock.token}` },
      },
    );
    assert.equal(ok.status, 200);
    assert.equal((await ok.text()).trim(), '{"x":1}');
  } finally {
    await running.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});
