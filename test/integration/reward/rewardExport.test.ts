// `export --format reward` on the real engine: one row per scored LLM span with the stored scores and the Path A
// combined reward (the same number POST /v1/score gives for the text), split by prompt like every format, the
// time filters applied; spans without a prefloop score are left out.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPairs } from '../../../src/export/exportPairs.js';
import { isHoldout } from '../../../src/export/holdoutSplit.js';
import { renderPrompt } from '../../../src/export/transcript.js';
import { TABLES } from '../../../src/names.js';
import { normalizeSpan } from '../../../src/normalize/normalizeSpan.js';
import { RewardScorer } from '../../../src/reward/RewardScorer.js';
import { loadRubricFile } from '../../../src/score/RubricFile.js';
import { Scorer } from '../../../src/score/Scorer.js';
import { evaluationRow } from '../../../src/sink/rows.js';
import type { Store } from '../../../src/sink/Store.js';
import { pairDescriptors, writeRubricPairConfig } from '../../../src/views/rubricPairConfig.js';
import { ask, insertSpans, llmSpan, tempStore } from '../../helpers/traces.js';

const set = loadRubricFile('collector-config/rubrics.yaml');
let store: Store;
let cleanup: () => Promise<void>;
let out: string;
const texts: { prompt: string; response: string; time: number }[] = [];

before(async () => {
  ({ store, cleanup } = await tempStore('reward-export'));
  out = mkdtempSync(join(tmpdir(), 'prefloop-reward-out-'));
  await writeRubricPairConfig(store, pairDescriptors(set));
  const answers = [
    'Open Settings, then Security, then choose Reset password and follow the email link.',
    'Figure it out yourself, you idiot.',
    'Mail me at john.smith@example.com and I will reset it for you.',
    'Dunno.',
  ];
  for (let i = 0; i < 30; i++)
    texts.push({
      prompt: `How do I reset the password of account number ${i}?`,
      response: answers[i % answers.length]!,
      time: i * 3600,
    });
  const spans = texts.map((t) => llmSpan({ prompt: ask(t.prompt), response: t.response, time: t.time }));
  // One LLM span no rubric scored (stored by a pipeline without the rubrics processor): not a reward row.
  spans.push(llmSpan({ prompt: ask('unscored question'), response: 'unscored answer', time: 5 }));
  await insertSpans(store, spans);
  const scorer = new Scorer(set, { skipJudges: true });
  const evaluations = spans.slice(0, -1).flatMap((s) => scorer.scoreSync(normalizeSpan(s)));
  await store.insert(TABLES.evaluations, evaluations.map(evaluationRow));
});

after(async () => {
  await cleanup();
  rmSync(out, { recursive: true, force: true, maxRetries: 5 });
});

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test('one row per scored LLM span: stored scores, the endpoint’s reward, split by prompt', async () => {
  const result = await exportPairs(store, { format: 'reward', outDir: join(out, 'all'), holdout: 0.3 });
  const train = lines(result.trainPath);
  const holdout = lines(result.holdoutPath);
  const rows = [...train, ...holdout];
  assert.equal(rows.length, texts.length, 'every scored span once, the unscored one left out');
  assert.ok(train.length > 0 && holdout.length > 0);
  for (const r of holdout) assert.ok(isHoldout(r.prompt_hash as string, 0.3));
  for (const r of train) assert.ok(!isHoldout(r.prompt_hash as string, 0.3));
  assert.equal(result.manifest.format, 'reward');
  assert.deepEqual(result.manifest.by, { scored: texts.length });
  assert.equal(result.manifest.rubric_gate, undefined);
  assert.ok(result.manifest.rubric_versions.includes(`toxicity@${set.hash}`));

  const scorer = new RewardScorer(set);
  for (const t of texts) {
    const prompt = renderPrompt(ask(t.prompt));
    const row = rows.find((r) => r.prompt === prompt)!;
    assert.ok(row, `row for ${t.prompt}`);
    assert.equal(row.completion, t.response);
    const want = scorer.score([
      { prompt: ask(t.prompt), completion: t.response, context: [], model: '', service: '', attributes: {} },
    ]);
    assert.deepEqual(
      row.scores,
      Object.fromEntries(want.results[0]!.map((r) => [r.rubric, r.score])),
      'each rubric’s stored score',
    );
    assert.ok(
      Math.abs((row.reward as number) - want.rewards[0]!) < 1e-9,
      `reward ${String(row.reward)} = endpoint ${want.rewards[0]}`,
    );
    assert.deepEqual(Object.keys(row).slice(0, 4), ['prompt', 'completion', 'reward', 'scores']);
  }
  const rewards = rows.map((r) => r.reward as number);
  assert.ok(Math.max(...rewards) > Math.min(...rewards), 'rewards tell the answers apart');
});

test('the time filters apply; runs are deterministic', async () => {
  const since = new Date(Date.UTC(2024, 0, 1, 10));
  const a = await exportPairs(store, { format: 'reward', outDir: join(out, 'a'), since });
  const b = await exportPairs(store, { format: 'reward', outDir: join(out, 'b'), since });
  assert.equal(readFileSync(a.trainPath, 'utf8'), readFileSync(b.trainPath, 'utf8'));
  const rows = [...lines(a.trainPath), ...lines(a.holdoutPath)];
  assert.equal(rows.length, texts.filter((t) => t.time >= 10 * 3600).length);
  for (const r of rows) assert.ok(new Date(r.created as string) >= since);
});
