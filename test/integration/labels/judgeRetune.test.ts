// `prefloop calibrate --retune`: a judge rubric whose threshold and noise floor turn every verdict into a
// tie gets a proposal that agrees with people on the training share, checked on the pinned hold-out, and
// written as a new file beside the old one (comments kept, old file untouched); retuning the new file
// proposes nothing and writes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '../../../src/names.js';
import { loadRubricFile } from '../../../src/score/RubricFile.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { migrate } from '../../../src/sink/migrate.js';
import { runInProcess } from '../faults/cliHarness.js';
import { startOpenAiServer, type OpenAiServer } from '../../helpers/openaiServer.js';
import { ask } from '../../helpers/traces.js';

const N = 40;
const root = mkdtempSync(join(tmpdir(), 'prefloop-retune-'));
const dir = join(root, 'data');
const store = ['--store', `embedded:${dir}`];
const rubrics = join(root, 'rubrics.yaml');
const truth = (i: number) => (i % 3 === 0 ? 'rejected' : 'chosen');
const better = (i: number) => (truth(i) === 'chosen' ? `answer C${i}` : `answer R${i}`);
let server: OpenAiServer;

const FILE = [
  '# The team rubric file: comments stay.',
  'rubrics:',
  '  - id: helpful_judge',
  '    evaluator: llm_judge',
  '    threshold: 0.95 # far too strict',
  '    noise_floor: 0.8',
  '    judge:',
  '      base_url: BASE',
  '      model: judge-model',
  '      criteria: Prefer the more helpful answer.',
  '      max_retries: 0',
  '',
].join('\n');

before(async () => {
  server = await startOpenAiServer((req) => {
    const one = /## Answer to grade\n(answer [CR](\d+))\n/.exec(req.messages.at(-1)?.content ?? '');
    if (!one) return { status: 400, body: '{"error":{"message":"pointwise only"}}' };
    return {
      content: JSON.stringify({
        score: one[1] === better(Number(one[2])) ? 8 : 3,
        label: 'x',
        explanation: 'ok',
      }),
    };
  });
  writeFileSync(rubrics, FILE.replace('BASE', server.baseUrl));
  const db = new ChdbStore(dir, 'prefloop');
  try {
    await migrate(db);
    const rows = Array.from({ length: N }, (_, i) => ({
      sample_id: 's',
      pair_id: `p${i}`,
      annotator_id: 'ann',
      source: 'feedback',
      stratum: 'feedback',
      a_is_chosen: 1,
      prompt: JSON.stringify(ask(`q ${i}`)),
      chosen: `answer C${i}`,
      rejected: `answer R${i}`,
      chosen_span_id: `c${i}`,
      rejected_span_id: `r${i}`,
      assigned_at: '2026-01-01 00:00:00.000',
    }));
    await db.insert(TABLES.reviewAssignments, rows);
    await db.insert(
      TABLES.reviewLabels,
      rows.map((r, i) => ({
        label_id: `l${i}`,
        pair_id: r.pair_id,
        annotator_id: 'ann',
        preferred: truth(i),
        labelled_at: '2026-01-01 00:01:00.000',
        via: 'api',
      })),
    );
  } finally {
    await db.close();
  }
});
after(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true, maxRetries: 5 });
});

test('retune writes a better threshold beside the old file, only when the hold-out agrees', async () => {
  const before = readFileSync(rubrics, 'utf8');
  const r = await runInProcess([
    'calibrate',
    '--retune',
    'helpful_judge',
    '--rubrics',
    rubrics,
    ...store,
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as {
    written: string | null;
    train_items: number;
    holdout_items: number;
    current: { holdout: { kappa: number } };
    proposed: { holdout: { kappa: number; threshold: number; noise_floor: number } };
  };
  assert.equal(result.train_items + result.holdout_items, N);
  assert.ok(result.holdout_items > 0 && result.train_items > 0);
  assert.equal(result.current.holdout.kappa, 0, 'every verdict a tie: no agreement beyond chance');
  assert.equal(result.proposed.holdout.kappa, 1, 'the scores separate the answers as people do');
  assert.equal(result.written, join(root, 'rubrics.v2.yaml'));
  assert.equal(readFileSync(rubrics, 'utf8'), before, 'the old file is never edited');
  const text = readFileSync(result.written!, 'utf8');
  assert.match(text, /^# The team rubric file: comments stay\./);
  assert.match(text, /threshold: [\d.]+ # far too strict/);
  const retuned = loadRubricFile(result.written!).rubrics[0]!;
  assert.equal(retuned.threshold, result.proposed.holdout.threshold);
  assert.equal(retuned.noiseFloor, result.proposed.holdout.noise_floor);
  assert.notEqual(retuned.version, loadRubricFile(rubrics).rubrics[0]!.version, 'a new rubric version');
  // The retuned file is already the best: nothing more is written.
  const again = await runInProcess([
    'calibrate',
    '--retune',
    'helpful_judge',
    '--rubrics',
    result.written!,
    ...store,
  ]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /already agree best with people; nothing written/);
  assert.equal(existsSync(join(root, 'rubrics.v3.yaml')), false);
  assert.match(again.stdout, /current, hold-out/);
});
