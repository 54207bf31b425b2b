// The pair views and the export over the ClickHouse HTTP path (@clickhouse/client → query endpoint → chDB).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportPairs } from '../../../src/export/exportPairs.js';
import { pairsSummary } from '../../../src/export/pairsSummary.js';
import type { HttpStore } from '../../../src/sink/HttpStore.js';
import { migrate } from '../../../src/sink/migrate.js';
import { writeRubricPairConfig } from '../../../src/views/rubricPairConfig.js';
import { httpStoreOverChdb } from '../../helpers/clickhouseHttp.js';
import type { HttpOverChdb } from '../../helpers/clickhouseHttp.js';
import { annotate, ask, insertSpans, llmSpan, pairsOf } from '../../helpers/traces.js';

let setup: HttpOverChdb;
let http: HttpStore;

before(async () => {
  setup = await httpStoreOverChdb('prefloop-views-http-');
  http = setup.http;
});

after(() => setup.close());

test('views migrate, pair and export over HTTP exactly as embedded', async () => {
  const applied = (await migrate(http)).applied;
  assert.ok(applied.includes('view preference_pairs'));
  await writeRubricPairConfig(http, [
    { rubricId: 'q', rubricVersion: '1', noiseFloor: 0.1, higherIsBetter: true, weight: 1 },
  ]);
  const up = annotate(llmSpan({ prompt: ask('over http?'), response: 'yes', time: 1 }), { up: true });
  const down = annotate(llmSpan({ prompt: ask('over http?'), response: 'no', time: 2 }), { up: false });
  await insertSpans(http, [up, down, up]);
  const pairs = await pairsOf(http, up);
  assert.deepEqual(
    pairs.map((p) => [p.source, p.chosen, p.rejected]),
    [['feedback', 'yes', 'no']],
  );
  const out = join(setup.dir, 'out');
  const r = await exportPairs(http, { format: 'hh', outDir: out, holdout: 0 });
  assert.deepEqual(JSON.parse(readFileSync(r.trainPath, 'utf8')), {
    chosen: '\n\nHuman: over http?\n\nAssistant: yes',
    rejected: '\n\nHuman: over http?\n\nAssistant: no',
  });
  assert.equal((await pairsSummary(http)).total, 1);
});
