// The hand-written WebAssembly kernels: each committed <name>.wasm.ts is exactly its <name>.wat assembled.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { packagePath } from '../../src/paths.js';

test('every committed kernel module is its .wat as npm run build:wasm assembles it', () => {
  const r = spawnSync(process.execPath, [packagePath('scripts', 'build-wasm.mjs'), '--check'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
});
