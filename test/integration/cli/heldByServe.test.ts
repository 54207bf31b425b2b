// Commands on an embedded folder that a running `prefloop serve` holds: what cannot go through serve says
// that serve holds the folder, in one line, instead of the engine's raw lock error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServeChild } from '../faults/cliHarness.js';
import { ensureStopped, runInProcess, startServe } from '../faults/cliHarness.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-cli-held-'));
const folder = join(root, 'data');
const store = ['--store', `embedded:${folder}`];
let serve: ServeChild | undefined;

before(async () => {
  serve = await startServe(store);
});
after(async () => {
  await ensureStopped(serve);
  rmSync(root, { recursive: true, force: true, maxRetries: 5 });
});

test('migrate while serve holds the folder: says serve holds it and migrated it at start; exit 1', async () => {
  const r = await runInProcess(['migrate', ...store]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    `prefloop migrate: embedded:${folder} is held by a running prefloop serve (pid ${serve!.child.pid}), which applied the migrations itself when it started; to migrate it here, stop serve first\n`,
  );
});

test('sql and export through serve name the store the user named, not serve’s internal query URL', async () => {
  const bad = await runInProcess(['sql', ...store, 'SELECT nope FROM nowhere']);
  assert.equal(bad.code, 1);
  assert.ok(
    bad.stderr.startsWith(
      `prefloop sql: embedded:${folder} (through the running prefloop serve) failed (SELECT nope FROM nowhere): `,
    ),
    bad.stderr,
  );
  assert.doesNotMatch(bad.stderr, /127\.0\.0\.1|\/v1\/query/);

  const out = join(root, 'export');
  const exported = await runInProcess(['export', '--format', 'kto', '--out', out, ...store]);
  assert.equal(exported.code, 0, exported.stderr);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { store: string };
  assert.equal(manifest.store, `embedded:${folder}`);
  assert.match(
    exported.stdout,
    new RegExp(`from embedded:${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`),
  );
});
