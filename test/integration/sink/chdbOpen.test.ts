// Embedded folders that cannot be opened: the error names why. A folder another process holds (chDB's own
// message says only "Failed to create connection"); a folder that cannot be created (under /proc, where a
// recursive mkdir would spin for minutes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { StoreError } from '../../../src/sink/Store.js';
import { until } from '../../helpers/until.js';

test('opening a folder another process holds fails with STORE_LOCKED naming its pid', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-lock-'));
  const folder = join(dir, 'store');
  // The holder opens the folder, says so, and waits for its stdin to close.
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `import('chdb').then(({ Session }) => { const s = new Session(${JSON.stringify(folder)}); s.query('SELECT 1');
       process.stdout.write('open\\n'); process.stdin.resume(); process.stdin.on('end', () => process.exit(0)); })`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  try {
    let out = '';
    holder.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await until('the holder to open the folder', () => out.includes('open'), 60_000);
    assert.ok(existsSync(join(folder, 'status')));
    let error: unknown;
    try {
      const store = new ChdbStore(folder, 'prefloop');
      await store.close();
    } catch (err) {
      error = err;
    }
    assert.ok(error instanceof StoreError, `expected a StoreError, got ${String(error)}`);
    assert.equal(error.code, 'STORE_LOCKED');
    assert.match(error.message, new RegExp(`process ${holder.pid} holds this folder`));
  } finally {
    holder.stdin.end();
    await new Promise((r) => holder.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  'a store folder under /proc fails at once naming the folder',
  { skip: !existsSync('/proc/self') },
  () => {
    assert.throws(
      () => new ChdbStore('/proc/prefloop-test/store', 'prefloop'),
      (err: unknown) =>
        err instanceof StoreError &&
        err.code === 'STORE_OPEN' &&
        /cannot create the folder \/proc\/prefloop-test for the embedded store/.test(err.message),
    );
  },
);
