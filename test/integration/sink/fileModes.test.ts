// Store and spool folders are owner-only (0700), spool segments 0600, and a spool folder that cannot hold the
// spool is named at start-up in one line instead of EEXIST/ENOTDIR or a silent /proc/self (issue 30).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/loadConfig.js';
import { startPrefloop } from '../../../src/serve/startPrefloop.js';
import type { Batch } from '../../../src/sink/Batch.js';
import { Spool } from '../../../src/sink/Spool.js';

const mode = (path: string) => statSync(path).mode & 0o777;

test('a new spool folder is 0700 and its segments 0600', async () => {
  const root = mkdtempSync(join(tmpdir(), 'prefloop-modes-'));
  try {
    const dir = join(root, 'a', 'spool');
    const spool = new Spool(dir);
    const batch: Batch = { table: 'otel_traces', token: 't1', rows: 1, body: Buffer.from('{"i":1}\n') };
    await spool.append([batch]);
    await spool.close();
    assert.equal(mode(dir), 0o700);
    const segments = readdirSync(dir);
    assert.equal(segments.length, 1);
    assert.equal(mode(join(dir, segments[0]!)), 0o600);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a spool path that cannot hold the spool is refused by name', (t) => {
  assert.throws(
    () => new Spool('/dev/null'),
    /^Error: spool.directory \/dev\/null cannot hold the spool: it, or a folder on its path, is a file/,
  );
  assert.throws(
    () => new Spool('/dev/null/x'),
    /spool.directory \/dev\/null\/x cannot hold the spool: it, or a folder on its path, is a file/,
  );
  if (!existsSync('/proc/self')) return t.skip('no /proc here');
  assert.throws(
    () => new Spool('/proc/self'),
    /spool.directory \/proc\/self cannot hold the spool: it takes no new files/,
  );
});

test('serve: the store folder is 0700, and a bad spool.directory fails start-up naming it', async () => {
  const root = mkdtempSync(join(tmpdir(), 'prefloop-modes-'));
  try {
    const folder = join(root, 'store');
    const running = await startPrefloop({ storeUrl: `embedded:${folder}`, endpoint: '127.0.0.1:0' });
    await running.close();
    assert.equal(mode(folder), 0o700);
    assert.equal(mode(join(folder, 'spool')), 0o700);
    const config = parseConfig(
      `
receivers: { otlp: {} }
exporters: { clickhouse: { spool: { directory: /dev/null } } }
service: { pipelines: { traces: { receivers: [otlp], exporters: [clickhouse] } } }`,
      'spool.yaml',
      {},
    );
    await assert.rejects(
      startPrefloop({ config, storeUrl: `embedded:${join(root, 'other')}`, endpoint: '127.0.0.1:0' }),
      /spool.directory \/dev\/null cannot hold the spool: it, or a folder on its path, is a file/,
    );
  } finally {
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  }
});
