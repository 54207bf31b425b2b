// `sql`, `pairs` and `export` where there is no prefloop store: one line naming the store and how to name
// another, exit 1, and nothing created (opening the folder used to create an empty store, then fail on a
// missing table with the engine's whole internal query).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { loadMigrations, migrate, MIGRATION_FOLDERS } from '../../../src/sink/migrate.js';
import { TABLES } from '../../../src/names.js';
import { startClickHouseHttp } from '../../helpers/clickhouseHttp.js';
import { runInProcess } from '../faults/cliHarness.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-cli-nostore-'));
test.after(() => rmSync(root, { recursive: true, force: true, maxRetries: 5 }));

const COMMANDS = [['sql', 'SELECT 1'], ['pairs'], ['export', '--format', 'dpo', '--out', join(root, 'out')]];

test('a folder that does not exist: named, with how to name another; nothing created', async () => {
  const folder = join(root, 'missing');
  for (const args of COMMANDS) {
    const r = await runInProcess([...args, '--store', `embedded:${folder}`]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.match(
      r.stderr,
      new RegExp(
        `^prefloop ${args[0]}: no prefloop store at embedded:${folder} \\(from --store\\): the folder .* does not exist`,
      ),
    );
    assert.match(r.stderr, /--store URL or PREFLOOP_STORE/);
    assert.doesNotMatch(r.stderr, /Unknown table|SELECT/);
  }
  assert.equal(existsSync(folder), false, 'the store folder is not created');
  assert.equal(existsSync(join(root, 'out')), false, 'the export folder is not created');
  const fromEnv = await runInProcess(['pairs'], { PREFLOOP_STORE: `embedded:${folder}` });
  assert.equal(fromEnv.code, 1);
  assert.match(fromEnv.stderr, /no prefloop store at embedded:.* \(from PREFLOOP_STORE\)/);
});

test('a folder without prefloop migrations: named, and left as it was', async () => {
  const folder = join(root, 'empty');
  mkdirSync(folder);
  for (const args of COMMANDS) {
    const r = await runInProcess([...args, '--store', `embedded:${folder}`]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /^prefloop \w+: no prefloop store at embedded:.*empty \(from --store\): the folder .* has no prefloop migrations in database prefloop \(name the store with --store URL or PREFLOOP_STORE; `prefloop serve` or `prefloop migrate` creates one\)\n$/,
    );
  }
  assert.deepEqual(readdirSync(folder), [], 'nothing written into the folder');
});

test('a ClickHouse server whose database has no prefloop tables: says so, and how to make them', async () => {
  const dir = join(root, 'server');
  const engine = new ChdbStore(dir, 'prefloop');
  const server = await startClickHouseHttp(engine);
  try {
    for (const args of COMMANDS) {
      const r = await runInProcess([...args, '--store', server.url]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
      assert.match(
        r.stderr,
        /no prefloop store at http:\/\/127\.0\.0\.1:\d+\/prefloop \(from --store\): the database prefloop has no prefloop tables \(run `prefloop migrate` with this store, or `prefloop serve`/,
      );
    }
    // A database the server does not have at all reads the same way.
    const other = await runInProcess(['pairs', '--store', `${server.url}/elsewhere`]);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /the database elsewhere has no prefloop tables/);
    assert.equal(existsSync(join(root, 'out')), false, 'the export folder is not created');
  } finally {
    await server.stop();
    await engine.close();
  }
  const down = await runInProcess(['pairs', '--store', server.url]);
  assert.equal(down.code, 1);
  assert.match(
    down.stderr,
    /^prefloop pairs: cannot reach the store at http:\/\/127\.0\.0\.1:\d+\/prefloop \(from --store\): .*ECONNREFUSED.* \(is the server running and the URL right\?\)\n$/,
  );
});

test('a store an older prefloop made (a migration not applied): names it and says to migrate', async () => {
  const folder = join(root, 'older');
  const store = new ChdbStore(folder, 'prefloop');
  const all = MIGRATION_FOLDERS.slice(0, 2);
  const newest = loadMigrations(all).at(-1)!;
  try {
    // Every numbered migration but the newest, as an older prefloop would have left the store.
    await migrate(store);
    await store.command(`ALTER TABLE prefloop.${TABLES.migrations} DELETE WHERE Version = ${newest.version}`);
  } finally {
    await store.close();
  }
  const r = await runInProcess(['sql', 'SELECT 1', '--store', `embedded:${folder}`]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /was made by an older prefloop: 1 migration\(s\) not applied/);
  assert.ok(r.stderr.includes(newest.name), r.stderr);
  assert.match(r.stderr, /run `prefloop migrate` with this store/);
});
