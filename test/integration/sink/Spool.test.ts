// The spool on a real file system: appends replay in order; a failed append never hides later records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Spool } from '../../../src/sink/Spool.js';
import type { Batch } from '../../../src/sink/Batch.js';

const rec = (i: number, bytes = 64): Batch => ({
  table: 'otel_traces',
  token: `t${i}`,
  rows: 1,
  body: Buffer.from(`{"i":${i},"pad":"${'x'.repeat(bytes)}"}\n`),
});

async function replayAll(spool: Spool): Promise<string[]> {
  const tokens: string[] = [];
  const outcome = await spool.replay(async (r) => {
    tokens.push(r.token);
  });
  assert.equal(outcome.corruptTails, 0);
  return tokens;
}

test('many records in one append (more buffers than one writev takes) replay in order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-spool-'));
  try {
    const spool = new Spool(dir);
    const records = Array.from({ length: 1500 }, (_, i) => rec(i, i % 300));
    await spool.append(records.slice(0, 1200));
    await spool.append(records.slice(1200));
    assert.deepEqual(
      await replayAll(spool),
      records.map((r) => r.token),
    );
    assert.equal(spool.bytes, 0);
    await spool.close();
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});

test('after a failed append (disk full), the next append starts a new segment and replays', async (t) => {
  if (!existsSync('/dev/full')) return t.skip('needs /dev/full');
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-spool-'));
  try {
    const spool = new Spool(dir);
    // The first segment's name points at a device where every write fails with ENOSPC.
    const full = join(dir, 'segment-000000000000.spool');
    symlinkSync('/dev/full', full);
    await assert.rejects(spool.append([rec(1)]), /ENOSPC/);
    rmSync(full);
    await spool.append([rec(2), rec(3)]);
    assert.deepEqual(readdirSync(dir), ['segment-000000000001.spool']);
    assert.deepEqual(await replayAll(spool), ['t2', 't3']);
    await spool.close();
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});

test('an append that fails partway (file size limit) leaves nothing of itself: no record replays twice', async (t) => {
  const bash = spawnSync('bash', ['-c', 'true']);
  if (bash.status !== 0) return t.skip('needs bash for ulimit');
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-spool-'));
  try {
    const fixture = fileURLToPath(new URL('./spoolFileLimit.fixture.ts', import.meta.url));
    const run = spawnSync(
      'bash',
      ['-c', `trap '' XFSZ; ulimit -f 64; exec "${process.execPath}" --import tsx "${fixture}" "${dir}"`],
      { encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!);
    assert.match(result.error, /EFBIG/);
    // The caller keeps a, b and c to append again; had a and b stayed on disk, they would replay twice.
    assert.deepEqual(result.replayed, ['d']);
    assert.equal(result.corruptTails, 0);
    assert.equal(result.bytes, 0);
    assert.equal(result.onDisk, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});
