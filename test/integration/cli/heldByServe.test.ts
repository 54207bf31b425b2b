// Commands on an embedded folder that a running `prefloop serve` holds: what cannot go through serve says
// that serve holds the folder, in one line, instead of the engine's raw lock error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
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
