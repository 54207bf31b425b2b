// `export --out DIR` is checked before any query runs: a file, a file on the way, a folder the file system will
// not create (/proc spun at full CPU for minutes) — each one line and exit 1, with nothing left behind.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runInProcess } from '../faults/cliHarness.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-cli-out-'));
const store = ['--store', `embedded:${join(root, 'data')}`];
const file = join(root, 'notes.txt');

before(async () => {
  const m = await runInProcess(['migrate', ...store]);
  assert.equal(m.code, 0, m.stderr);
  writeFileSync(file, 'not a folder\n');
});
test.after(() => rmSync(root, { recursive: true, force: true, maxRetries: 5 }));

const exportTo = (out: string) => runInProcess(['export', '--format', 'dpo', '--out', out, ...store]);

test('--out naming a file, or a path through one: one line naming it, exit 1', async () => {
  const r = await exportTo(file);
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    `prefloop export: cannot export to ${file}: it is a file, not a folder (name a folder; a missing one is created)\n`,
  );
  const under = await exportTo(join(file, 'out'));
  assert.equal(under.code, 1);
  assert.equal(
    under.stderr,
    `prefloop export: cannot export to ${join(file, 'out')}: ${file} is a file, not a folder\n`,
  );
  assert.equal(r.stdout + under.stdout, '');
});

test('--out under /proc: refused at once, naming the folder, not minutes of mkdir retries', async (t) => {
  if (!existsSync('/proc/self')) return t.skip('no /proc here');
  const started = Date.now();
  const r = await runCli(['export', '--format', 'dpo', '--out', '/proc/prefloop-nope/x', ...store], 60_000);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(
    r.stderr,
    'prefloop export: cannot create the folder /proc/prefloop-nope for the export: /proc does not take new files or folders (a system folder such as /proc? name another folder)\n',
  );
  assert.ok(Date.now() - started < 55_000);
});

test('a new folder is created for a good export, and removed again when the export fails', async () => {
  const good = join(root, 'new', 'a', 'b');
  const ok = await exportTo(good);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(readdirSync(good).sort(), ['holdout.jsonl', 'manifest.json', 'train.jsonl']);

  const bad = join(root, 'fresh', 'c');
  const failed = await runInProcess([
    'export',
    '--format',
    'dpo',
    '--out',
    bad,
    '--store',
    `embedded:${join(root, 'no-store')}`,
  ]);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /no prefloop store/);
  assert.equal(existsSync(join(root, 'fresh')), false, 'the folders it created are gone');
});
