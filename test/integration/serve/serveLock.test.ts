// Client commands reach an embedded store through a running serve's query endpoint; a stale lock is ignored;
// a closed embedded store lets go of its folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PATHS } from '../../../src/names.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import {
  SERVE_LOCK_FILE,
  inspectServeLock,
  processStart,
  readServeLock,
  resolveClientStore,
  writeServeLock,
} from '../../../src/serve/serveLock.js';
import { runSql } from '../../../src/sink/sqlOutput.js';
import { startClickHouseHttp } from '../../helpers/clickhouseHttp.js';

/** A pid that is certainly not running: a child that already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

test('a live lock routes the client to the serve endpoint; runSql keeps columns for zero rows', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'prefloop-lock-'));
  const held = new ChdbStore(folder, 'prefloop');
  const server = await startClickHouseHttp(held, PATHS.query);
  try {
    await held.command('CREATE TABLE t (id String, n UInt64) ENGINE = MergeTree ORDER BY id');
    await held.command("INSERT INTO t VALUES ('a', 1), ('b', 2)");
    // Written as another live process: the test runner's parent holds the lock.
    writeFileSync(
      join(folder, SERVE_LOCK_FILE),
      JSON.stringify({
        pid: process.ppid,
        pidStart: processStart(process.ppid),
        url: `${server.url}${PATHS.query}`,
        started: new Date().toISOString(),
      }),
      { mode: 0o600 },
    );
    const client = await resolveClientStore(`embedded:${folder}`);
    try {
      assert.equal(client.kind, 'http');
      const result = await runSql(client, 'SELECT id, n FROM t WHERE n >= {min:UInt64} ORDER BY id', {
        min: 2,
      });
      assert.deepEqual(result, {
        columns: [
          { name: 'id', type: 'String' },
          { name: 'n', type: 'UInt64' },
        ],
        rows: [['b', '2']],
      });
      const empty = await runSql(client, 'SELECT id, n FROM t WHERE n > 100');
      assert.deepEqual(
        empty.columns.map((c) => c.name),
        ['id', 'n'],
      );
      assert.deepEqual(empty.rows, []);
    } finally {
      await client.close();
    }
  } finally {
    await server.stop();
    await held.close();
    rmSync(folder, { recursive: true, force: true, maxRetries: 5 });
  }
});

test('a stale lock is ignored and the remover deletes only its own lock', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'prefloop-lock-'));
  try {
    writeFileSync(
      join(folder, SERVE_LOCK_FILE),
      JSON.stringify({ pid: deadPid(), url: 'http://127.0.0.1:1/v1/query', started: '' }),
      { mode: 0o600 },
    );
    const store = await resolveClientStore(`embedded:${folder}`);
    assert.equal(store.kind, 'embedded');
    await store.close();

    const remove = writeServeLock(folder, 'http://127.0.0.1:4318/v1/query');
    assert.equal(readServeLock(folder)?.pid, process.pid);
    remove();
    assert.equal(existsSync(join(folder, SERVE_LOCK_FILE)), false);
  } finally {
    rmSync(folder, { recursive: true, force: true, maxRetries: 5 });
  }
});

test('an embedded store closed right after opening lets go of its folder before close resolves', async () => {
  // The database is created in the background from the constructor. Closed under that query, the engine
  // kept the folder until it ended: removing the folder raced its metadata writes (ENOTEMPTY), and the
  // next folder could not be opened ("still releasing its connection").
  for (let i = 0; i < 5; i++) {
    const folder = mkdtempSync(join(tmpdir(), 'prefloop-close-'));
    const store = new ChdbStore(folder, 'prefloop');
    await store.close();
    rmSync(folder, { recursive: true }); // no retries: the folder must be free now
    assert.equal(existsSync(folder), false);
  }
});

test('a planted lock is not trusted and no secret leaves: pid 1, a named variable, a wide mode, a remote URL', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'prefloop-lock-'));
  const heard: string[] = [];
  const listener = createServer((req, res) => {
    heard.push(req.headers.authorization ?? '(none)');
    res.end('Ok.\n');
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/v1/query`;
  const path = join(folder, SERVE_LOCK_FILE);
  const plant = (lock: object, mode = 0o600): void => {
    rmSync(path, { force: true });
    writeFileSync(path, JSON.stringify(lock), { mode });
    chmodSync(path, mode);
  };
  process.env.PREFLOOP_TEST_SECRET = 'sk-live-secret';
  try {
    const cases: Array<[string, () => void]> = [
      ['pid 1 with authEnv (the issue)', () => plant({ pid: 1, url, authEnv: 'PREFLOOP_TEST_SECRET' })],
      ['a live pid of this user, but not the one that wrote it', () => plant({ pid: process.ppid, url })],
      ['mode 644, as a clone writes it', () => plant({ pid: process.pid + 0, url }, 0o644)],
      [
        'a URL off loopback',
        () => plant({ pid: process.ppid, pidStart: processStart(process.ppid), url: 'http://10.9.9.9:1/q' }),
      ],
      [
        'a symlink to a lock elsewhere',
        () => {
          const real = join(folder, 'real.json');
          writeFileSync(
            real,
            JSON.stringify({ pid: process.ppid, pidStart: processStart(process.ppid), url }),
            {
              mode: 0o600,
            },
          );
          rmSync(path, { force: true });
          symlinkSync(real, path);
        },
      ],
    ];
    for (const [what, setUp] of cases) {
      setUp();
      const store = await resolveClientStore(`embedded:${folder}`);
      assert.equal(store.kind, 'embedded', what);
      await store.close();
    }
    assert.deepEqual(heard, []);
    plant({ pid: 1, url }, 0o644);
    assert.match(inspectServeLock(folder).problem ?? '', /mode 644, not 600/);
  } finally {
    delete process.env.PREFLOOP_TEST_SECRET;
    listener.close();
    rmSync(folder, { recursive: true, force: true, maxRetries: 5 });
  }
});
