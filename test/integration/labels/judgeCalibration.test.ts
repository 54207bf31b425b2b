// A judge calibrated against simulated people (real engine, chDB; a local OpenAI-compatible judge that
// agrees with the human majority at a known rate): agreement, Cohen's kappa, order-swap consistency,
// position bias and ties as computed by hand; the calibration stored per judge version gates the judge's
// pairs (pairs_judge metadata.gate); a position-biased judge lands under the floor.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES, VIEWS } from '../../../src/names.js';
import { loadRubricFile } from '../../../src/score/RubricFile.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { migrate } from '../../../src/sink/migrate.js';
import { cohenKappa } from '../../../src/labels/stats/cohen.js';
import { humanMajority, type Verdict } from '../../../src/labels/calibration/judgeMetrics.js';
import { runInProcess } from '../faults/cliHarness.js';
import { startOpenAiServer, type OpenAiServer } from '../../helpers/openaiServer.js';
import { ask, at, insertSpans, llmSpan } from '../../helpers/traces.js';

const N = 40;
const root = mkdtempSync(join(tmpdir(), 'prefloop-judgecal-'));
const dir = join(root, 'data');
const store = ['--store', `embedded:${dir}`];
const rubrics = join(root, 'rubrics.yaml');
const annotators = ['ann', 'bob', 'cy'];
/** What the pair really is: people (mostly) and the judge (mostly) agree with it. */
const truth = (i: number): Verdict => (i % 3 === 0 ? 'rejected' : 'chosen');
const flip = (v: Verdict): Verdict => (v === 'chosen' ? 'rejected' : 'chosen');
/** Annotator k errs on a known pattern (about one item in ten each). */
const label = (i: number, k: number): Verdict => ((i * 7 + k * 3) % 10 === 0 ? flip(truth(i)) : truth(i));
/** The judge errs on every tenth item. */
const judgeErrs = (i: number) => i % 10 === 4;
const better = (i: number) => ((truth(i) === 'chosen') !== judgeErrs(i) ? `answer C${i}` : `answer R${i}`);

let server: OpenAiServer;
let mode: 'honest' | 'always-a' | 'down' = 'honest';

before(async () => {
  server = await startOpenAiServer((req) => {
    if (mode === 'down') return { status: 500, body: '{"error":{"message":"down"}}' };
    const text = req.messages.at(-1)?.content ?? '';
    const pair = /## Response A\n(answer [CR](\d+))\n\n## Response B\n(answer [CR]\d+)\n/.exec(text);
    if (pair) {
      if (mode === 'always-a') return { content: '{"winner": "A", "explanation": "first"}' };
      const winner = pair[1] === better(Number(pair[2])) ? 'A' : 'B';
      return { content: JSON.stringify({ winner, explanation: 'by the criteria' }) };
    }
    const one = /## Answer to grade\n(answer [CR](\d+))\n/.exec(text);
    if (one)
      return {
        content: JSON.stringify({
          score: one[1] === better(Number(one[2])) ? 9 : 2,
          label: 'x',
          explanation: 'ok',
        }),
      };
    return { status: 400, body: '{"error":{"message":"unexpected prompt"}}' };
  });
  writeFileSync(
    rubrics,
    [
      'rubrics:',
      '  - id: helpful_judge',
      '    evaluator: llm_judge',
      '    threshold: 0.5 # pass mark',
      '    noise_floor: 0.1',
      '    judge:',
      `      base_url: ${server.baseUrl}`,
      '      model: judge-model',
      '      criteria: Prefer the more helpful answer.',
      '      max_retries: 0',
      '',
    ].join('\n'),
  );
  const db = new ChdbStore(dir, 'prefloop');
  try {
    await migrate(db);
    const assignments = [];
    const labels = [];
    for (let i = 0; i < N; i++) {
      for (const [k, a] of annotators.entries()) {
        assignments.push({
          sample_id: 's',
          pair_id: `p${i}`,
          annotator_id: a,
          source: 'feedback',
          stratum: 'feedback',
          a_is_chosen: (i + k) % 2,
          prompt: JSON.stringify(ask(`question ${i}`)),
          chosen: `answer C${i}`,
          rejected: `answer R${i}`,
          chosen_span_id: `c${i}`,
          rejected_span_id: `r${i}`,
          assigned_at: '2026-01-01 00:00:00.000',
        });
        labels.push({
          label_id: `${i}-${a}`,
          pair_id: `p${i}`,
          annotator_id: a,
          preferred: label(i, k),
          labelled_at: '2026-01-01 00:01:00.000',
          via: 'api',
        });
      }
    }
    await db.insert(TABLES.reviewAssignments, assignments);
    await db.insert(TABLES.reviewLabels, labels);
  } finally {
    await db.close();
  }
});
after(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true, maxRetries: 5 });
});

interface Row {
  judge_version: string;
  status: string;
  items: number;
  agreement: number;
  kappa: number;
  ci_low: number;
  ci_high: number;
  swap_consistency: number;
  position_bias: number;
  ties: number;
  pointwise_items: number;
  pointwise_kappa: number;
  human_baseline_kappa: number;
}

test('calibrate --judge: the measures match the simulated rates, and the row is stored per judge version', async () => {
  const r = await runInProcess([
    'calibrate',
    '--judge',
    'helpful_judge',
    '--rubrics',
    rubrics,
    ...store,
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const row = JSON.parse(r.stdout) as Row;
  const version = loadRubricFile(rubrics).rubrics[0]!.version;
  assert.equal(row.judge_version, `helpful_judge@${version}/judge-model`);
  assert.equal(row.items, N);
  const people = Array.from({ length: N }, (_, i) => humanMajority(annotators.map((_, k) => label(i, k))));
  const judge = Array.from({ length: N }, (_, i): Verdict => (judgeErrs(i) ? flip(truth(i)) : truth(i)));
  const agree = people.filter((p, i) => p === judge[i]).length / N;
  assert.ok(Math.abs(row.agreement - agree) < 1e-12, `${row.agreement} vs ${agree}`);
  assert.ok(
    Math.abs(row.kappa - cohenKappa(judge, people, { categories: ['chosen', 'rejected', 'tie'] })) < 1e-12,
  );
  assert.ok(row.ci_low <= row.kappa && row.kappa <= row.ci_high);
  assert.equal(row.swap_consistency, 1, 'the simulated judge never changes its mind with the order');
  assert.equal(row.position_bias, 0);
  assert.equal(row.ties, 0);
  assert.equal(row.pointwise_items, N);
  assert.ok(
    Math.abs(row.pointwise_kappa - row.kappa) < 1e-12,
    'the scores order the answers as the verdicts do',
  );
  assert.ok(row.human_baseline_kappa > 0.5 && row.human_baseline_kappa < 1);
  assert.equal(row.status, 'calibrated');
  const table = await runInProcess(['calibrate', '--judge', 'helpful_judge', '--rubrics', rubrics, ...store]);
  assert.match(table.stdout, /human–human baseline/);
  assert.match(table.stdout, /calibrated: kappa/);
});

test('the stored calibration gates the judge pairs; a position-biased judge lands under the floor', async () => {
  const version = loadRubricFile(rubrics).rubrics[0]!.version;
  const gate = async (): Promise<{ gate: string; judge_calibration: string; judge_kappa: number | null }> => {
    const db = new ChdbStore(dir, 'prefloop');
    try {
      const rows = await db.query<{ metadata: string }>(`SELECT metadata FROM ${VIEWS.pairsJudge} LIMIT 1`);
      return JSON.parse(rows[0]!.metadata) as {
        gate: string;
        judge_calibration: string;
        judge_kappa: number | null;
      };
    } finally {
      await db.close();
    }
  };
  const db = new ChdbStore(dir, 'prefloop');
  try {
    const a = llmSpan({ prompt: ask('judged'), response: 'one', time: 1 });
    const b = llmSpan({ prompt: ask('judged'), response: 'two', time: 2 });
    await insertSpans(db, [a, b]);
    await db.insert(TABLES.judgeVerdicts, [
      {
        Timestamp: at(10).toString(),
        RubricId: 'helpful_judge',
        RubricVersion: version,
        PromptHash: '',
        TraceIdA: a.traceId,
        SpanIdA: a.spanId,
        TraceIdB: b.traceId,
        SpanIdB: b.spanId,
        Winner: 'A',
        Confidence: 1,
        Flipped: 0,
        Explanation: '',
        JudgeModel: 'judge-model',
      },
    ]);
  } finally {
    await db.close();
  }
  /** Judge pairs in a default export (train + hold-out), and what the manifest says it left out. */
  const exported = async (name: string) => {
    const out = join(root, name);
    const r = await runInProcess(['export', '--format', 'dpo', '--out', out, ...store]);
    assert.equal(r.code, 0, r.stderr);
    const lines = ['train.jsonl', 'holdout.jsonl'].flatMap((f) =>
      readFileSync(join(out, f), 'utf8').split('\n').filter(Boolean),
    );
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      rubric_gate?: { left_out: number };
    };
    return { rows: lines.length, leftOut: manifest.rubric_gate?.left_out ?? 0 };
  };
  const calibrated = await gate();
  assert.equal(calibrated.gate, 'agrees');
  assert.deepEqual(
    await exported('out-calibrated'),
    { rows: 1, leftOut: 0 },
    'a calibrated judge feeds the export',
  );
  assert.equal(calibrated.judge_calibration, 'calibrated');
  assert.ok((calibrated.judge_kappa ?? 0) >= 0.5);
  mode = 'always-a';
  const r = await runInProcess([
    'calibrate',
    '--judge',
    'helpful_judge',
    '--rubrics',
    rubrics,
    ...store,
    '--format',
    'json',
  ]);
  mode = 'honest';
  const row = JSON.parse(r.stdout) as Row;
  assert.equal(row.swap_consistency, 0, 'it answers A whatever the order');
  assert.equal(row.position_bias, 0.5, 'every decided answer picked the first shown');
  assert.equal(row.ties, 1, 'each order contradicts the other: a tie');
  assert.equal(row.status, 'under_floor');
  const under = await gate();
  assert.equal(under.gate, 'under_floor');
  assert.deepEqual(
    await exported('out-under'),
    { rows: 0, leftOut: 1 },
    'under the floor: left out, and counted',
  );
  const few = await runInProcess([
    'calibrate',
    '--judge',
    'helpful_judge',
    '--rubrics',
    rubrics,
    ...store,
    '--format',
    'json',
    '--min-items',
    '100',
  ]);
  assert.equal((JSON.parse(few.stdout) as Row).status, 'uncalibrated');
  assert.equal((await gate()).gate, 'uncalibrated');
  const stored = async (): Promise<number> => {
    const db = new ChdbStore(dir, 'prefloop');
    try {
      const rows = await db.query<{ n: string }>(`SELECT count() AS n FROM ${TABLES.judgeCalibrations}`);
      return Number(rows[0]!.n);
    } finally {
      await db.close();
    }
  };
  const rowsBefore = await stored();
  mode = 'down';
  const down = await runInProcess(['calibrate', '--judge', 'helpful_judge', '--rubrics', rubrics, ...store]);
  mode = 'honest';
  assert.equal(down.code, 1, 'a judge that never answers is a failure, not a calibration');
  assert.match(
    down.stderr,
    /gave no readable verdict on any of 40 labelled pairs \(nothing stored\): check base_url/,
  );
  assert.equal(await stored(), rowsBefore, 'an outage does not overwrite the judge version’s calibration');
  const missing = await runInProcess(['calibrate', '--judge', 'nope', '--rubrics', rubrics, ...store]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope is not an llm_judge rubric .*llm_judge rubrics there: helpful_judge/);
  // A kappa floor outside [-1, 1] could never (or always) be met: refused before the judge is asked.
  const floor = await runInProcess([
    'calibrate',
    '--judge',
    'helpful_judge',
    '--rubrics',
    rubrics,
    ...store,
    '--floor',
    '5',
  ]);
  assert.equal(floor.code, 2);
  assert.match(floor.stderr, /--floor must be a number from -1 to 1, not "5"/);
});
