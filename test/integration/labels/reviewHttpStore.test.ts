// `review sample` and `review import` against a ClickHouse server (over HTTP), not only an embedded folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startClickHouseHttp } from '../../helpers/clickhouseHttp.js';
import { annotate, ask, insertSpans, llmSpan, tempStore } from '../../helpers/traces.js';
import { runInProcess } from '../faults/cliHarness.js';

test('sample and import through an HTTP store; the same seed draws the same pairs', async () => {
  const t = await tempStore('review-http');
  const server = await startClickHouseHttp(t.store);
  try {
    const spans = Array.from({ length: 8 }, (_, i) => [
      annotate(llmSpan({ prompt: ask(`h ${i}`), response: `good ${i}`, time: i * 10 }), { up: true }),
      annotate(llmSpan({ prompt: ask(`h ${i}`), response: `bad ${i}`, time: i * 10 + 1 }), { up: false }),
    ]).flat();
    await insertSpans(t.store, spans);
    const store = ['--store', server.url];
    const r = await runInProcess([
      'review',
      'sample',
      '--n',
      '4',
      '--annotators',
      'ann,bob',
      '--per-item',
      '2',
      '--format',
      'json',
      ...store,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).assignments, 8);
    const sampled = await t.store.query<{ pair_id: string }>(
      'SELECT DISTINCT pair_id FROM review_assignments ORDER BY pair_id',
    );
    assert.equal(sampled.length, 4);
    const file = join(t.dir, 'labels.jsonl');
    writeFileSync(
      file,
      sampled
        .flatMap((p) =>
          ['ann', 'bob'].map((a) =>
            JSON.stringify({ pair_id: p.pair_id, annotator_id: a, preferred: 'chosen' }),
          ),
        )
        .join('\n'),
    );
    const i = await runInProcess(['review', 'import', file, ...store]);
    assert.equal(i.code, 0, i.stderr);
    assert.match(i.stdout, /^8 labels stored/);
    const bands = await t.store.query<{ band: string; n: string }>(
      'SELECT band, count() AS n FROM pair_review GROUP BY band',
    );
    assert.deepEqual(bands, [{ band: 'train', n: '4' }]);
  } finally {
    await server.stop();
    await t.cleanup();
  }
});
