// `prefloop gate --online` (canary): two models already in the store's traffic over a window, compared per
// prompt class with unpaired bootstrap intervals. A better candidate ships; one abusive in one class rolls back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '../../../src/names.js';
import { OI } from '../../../src/conventions.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { evaluationRow } from '../../../src/sink/rows.js';
import { runInProcess } from '../faults/cliHarness.js';
import { ask, insertSpans, llmSpan } from '../../helpers/traces.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-gate-online-'));
const store = ['--store', `embedded:${join(root, 'store')}`];
const rubrics = join(root, 'rubrics.yaml');
const recent = Math.floor(Date.now() / 1000 - 1_704_067_200 - 3600);

before(async () => {
  writeFileSync(
    rubrics,
    `rubrics:
  - {id: completeness, evaluator: completeness, version: "1", threshold: 0.5, noise_floor: 0.05}
  - {id: toxicity, evaluator: toxicity, version: "1", threshold: 0.3, direction: lower_is_better, critical: true, noise_floor: 0.05}
`,
  );
  const m = await runInProcess(['migrate', ...store]);
  assert.equal(m.code, 0, m.stderr);
  const db = new ChdbStore(join(root, 'store'), 'prefloop');
  try {
    const rows: ReturnType<typeof evaluationRow>[] = [];
    const spans = [];
    const prompts = ['How do refunds work?', 'How do I reset my password?'];
    for (const model of ['base', 'good', 'toxic'])
      for (const [c, prompt] of prompts.entries())
        for (let k = 0; k < 10; k++) {
          const span = llmSpan({
            prompt: ask(prompt),
            response: `${model} answer ${k}`,
            time: recent + k,
            attributes: { [OI.modelName]: model },
          });
          spans.push(span);
          const jitter = (k % 5) * 0.02;
          const score = (rubricId: string, value: number) =>
            rows.push(
              evaluationRow({
                traceId: span.traceId,
                spanId: span.spanId,
                timeUnixNano: BigInt(Date.now()) * 1_000_000n,
                rubricId,
                rubricVersion: '1',
                score: value,
                label: '',
                explanation: '',
                annotatorKind: 'CODE',
                metadata: '{}',
              }),
            );
          score('completeness', (model === 'base' ? 0.4 : 0.8) + jitter);
          score('toxicity', model === 'toxic' && c === 1 ? 0.8 : jitter / 2);
        }
    await insertSpans(db, spans);
    await db.insert(TABLES.evaluations, rows);
  } finally {
    await db.close();
  }
});
after(() => rmSync(root, { recursive: true, force: true, maxRetries: 5 }));

function online(candidate: string) {
  return runInProcess([
    'gate',
    '--online',
    ...store,
    '--rubrics',
    rubrics,
    '--since',
    '1d',
    '--baseline-model',
    'base',
    '--candidate-model',
    candidate,
    '--format',
    'json',
  ]);
}

interface Report {
  verdict: string;
  mode: string;
  reasons: string[];
  classes: { prompt_class: string; rubrics: { id: string; delta: number }[] }[];
}

test('a canary better in every class ships; the run is kept with mode online', async () => {
  const r = await online('good');
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.mode, 'online');
  assert.equal(report.verdict, 'ship');
  assert.equal(report.classes.length, 2, 'both prompt classes compared on their own');
  for (const c of report.classes) assert.ok(c.rubrics.find((x) => x.id === 'completeness')!.delta > 0.3);
  const runs = await runInProcess(['sql', ...store, "SELECT Verdict FROM gate_runs WHERE Mode = 'online'"]);
  assert.match(runs.stdout, /ship/);
});

test('a canary abusive in one prompt class rolls back and names toxicity and the class', async () => {
  const r = await online('toxic');
  assert.equal(r.code, 2, r.stderr + r.stdout);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.verdict, 'rollback');
  assert.match(report.reasons.join('\n'), /prompt class [0-9a-f]+: critical rubric toxicity/);
});

test('a model with no traffic in the window: exit 3 naming it', async () => {
  const r = await online('nobody');
  assert.equal(r.code, 3);
  assert.match(r.stderr, /no scored LLM spans of candidate model "nobody"/);
});

test('--online with offline options: exit 3 naming them, nothing read', async () => {
  const r = await runInProcess([
    'gate',
    ...store,
    '--online',
    '--since',
    '7d',
    '--baseline-model',
    'base',
    '--candidate-model',
    'good',
    '--holdout',
    'holdout.jsonl',
  ]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /--online compares traffic already in the store, so --holdout does not apply/);
});
