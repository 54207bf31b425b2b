// `export --out` never writes through a planted symlink (issue 30): manifest.json, train.jsonl.partial and
// holdout.jsonl linking elsewhere are replaced by the export's own files; the link targets are untouched.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPairs } from '../../../src/export/exportPairs.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { runInProcess } from '../faults/cliHarness.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-export-links-'));
const store = ['--store', `embedded:${join(root, 'data')}`];

before(async () => {
  const m = await runInProcess(['migrate', ...store]);
  assert.equal(m.code, 0, m.stderr);
});
after(() => rmSync(root, { recursive: true, force: true, maxRetries: 5 }));

test('planted symlinks in the export folder are replaced, and what they point at is not written', async () => {
  const out = join(root, 'out');
  mkdirSync(out);
  const names = ['manifest.json', 'train.jsonl.partial', 'holdout.jsonl', 'train.jsonl'];
  const victims = names.map((name) => {
    const victim = join(root, `victim-${name}`);
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(out, name));
    return victim;
  });
  const r = await runInProcess(['export', '--format', 'dpo', '--out', out, ...store]);
  assert.equal(r.code, 0, r.stderr);
  for (const victim of victims) assert.equal(readFileSync(victim, 'utf8'), 'precious\n', victim);
  for (const name of ['manifest.json', 'train.jsonl', 'holdout.jsonl'])
    assert.ok(lstatSync(join(out, name)).isFile(), `${name} is the export's own file`);
  assert.equal(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).format, 'dpo');
});

test('an export that fails leaves no manifest beside the files: a manifest always describes its data', async () => {
  const out = join(root, 'again');
  const ok = await runInProcess(['export', '--format', 'dpo', '--out', out, ...store]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(lstatSync(join(out, 'manifest.json')).isFile());
  // The same folder again, on a store whose pair view is gone, so the export fails once it has begun.
  const engine = new ChdbStore(join(root, 'data'), 'prefloop');
  try {
    await engine.command('DROP VIEW prefloop.preference_pairs');
    await assert.rejects(exportPairs(engine, { format: 'dpo', outDir: out }), /preference_pairs/);
  } finally {
    await engine.close();
  }
  assert.throws(() => lstatSync(join(out, 'manifest.json')), /ENOENT/, 'the earlier manifest is gone');
});
