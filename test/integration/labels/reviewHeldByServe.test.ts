// `review sample` on a folder a running serve holds: serve takes only reads from other processes, so the
// command says so and what to do instead (exit 2), and nothing is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInProcess, startServe } from '../faults/cliHarness.js';
import { annotate, ask, insertSpans, llmSpan, tempStore } from '../../helpers/traces.js';

test('sampling a folder serve holds: refused with the way out', async () => {
  const t = await tempStore('review-held');
  await insertSpans(t.store, [
    annotate(llmSpan({ prompt: ask('q'), response: 'good', time: 1 }), { up: true }),
    annotate(llmSpan({ prompt: ask('q'), response: 'bad', time: 2 }), { up: false }),
  ]);
  await t.store.close();
  const serve = await startServe(['--store', `embedded:${t.dir}`]);
  try {
    const r = await runInProcess([
      'review',
      'sample',
      '--n',
      '1',
      '--annotators',
      'ann',
      '--per-item',
      '1',
      '--store',
      `embedded:${t.dir}`,
    ]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /takes only reads from other commands: stop it to sample or import, or post labels/,
    );
    const rows = await runInProcess([
      'sql',
      'SELECT count() FROM review_assignments',
      '--store',
      `embedded:${t.dir}`,
    ]);
    assert.match(rows.stdout, /\b0\b/);
  } finally {
    await serve.stop('SIGTERM');
    await t.cleanup();
  }
});
