// `prefloop gate` end to end: two local OpenAI-compatible model servers, the real engine (chDB), the rubric
// file scoring both models' answers. A candidate better on every rubric ships; one better on average but
// abusive (a critical rubric) rolls back and names it; one within noise holds; a re-run costs no request.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../faults/cliHarness.js';
import { startModelServer } from '../../helpers/modelServer.js';
import type { ModelServer } from '../../helpers/modelServer.js';
import { responseShownAs, startOpenAiServer } from '../../helpers/openaiServer.js';
import type { OpenAiServer } from '../../helpers/openaiServer.js';
import { writeServeLock } from '../../../src/serve/serveLock.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-gate-'));
const storeDir = join(root, 'store');
const store = ['--store', `embedded:${storeDir}`];
const rubrics = join(root, 'rubrics.yaml');
const holdoutDir = join(root, 'export');
const holdout = join(holdoutDir, 'holdout.jsonl');
const N = 24;

const BASE = (_i: number) => `Refunds take days.`;
const BETTER = (i: number) =>
  `Refunds for order ${i} take five business days after we receive the returned item and confirm its condition.`;
const ABUSIVE = (i: number) =>
  `Refunds for order ${i} take five business days after we receive the item, you stupid idiot.`;
/** Within noise: a third a little better, a third a little worse, a third the same. */
const NOISY = (i: number) =>
  i % 3 === 0 ? 'Refunds take many days.' : i % 3 === 1 ? 'Refunds: days.' : BASE(i);

/** Two local model servers: the baseline's and the candidate's (each answers as whichever model is asked). */
let models: ModelServer;
let candidates: ModelServer;
const asked = () => models.requests.length + candidates.requests.length;
let judge: OpenAiServer;

before(async () => {
  mkdirSync(holdoutDir);
  writeFileSync(
    rubrics,
    `rubrics:
  - {id: completeness, evaluator: completeness, version: "1", threshold: 0.5, noise_floor: 0.05}
  - {id: toxicity, evaluator: toxicity, version: "1", threshold: 0.3, direction: lower_is_better, critical: true, noise_floor: 0.05}
  - {id: length, evaluator: length, version: "1", params: {min: 8, max: 300}, threshold: 0.5, noise_floor: 0.05}
`,
  );
  const records = Array.from({ length: N }, (_, i) => ({
    prompt: [{ role: 'user', content: `How do refunds for order ${i} work?` }],
    chosen: [{ role: 'assistant', content: BETTER(i) }],
    rejected: [{ role: 'assistant', content: BASE(i) }],
  }));
  // Every prompt twice: the gate asks each distinct prompt once.
  writeFileSync(holdout, [...records, ...records].map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(
    join(holdoutDir, 'manifest.json'),
    JSON.stringify({ format: 'dpo-chat', rubric_versions: ['completeness@1', 'toxicity@1'] }),
  );
  const script = {
    chat(last: string, model: string) {
      const i = Number(/order (\d+)/.exec(last)?.[1]);
      if (model === 'broken') return { status: 500 };
      return { base: BASE, better: BETTER, abusive: ABUSIVE, noisy: NOISY }[model]!(i);
    },
  };
  models = await startModelServer(script);
  candidates = await startModelServer(script);
  // The pairwise judge prefers the longer answer, and calls equal lengths a tie.
  judge = await startOpenAiServer((request) => {
    const a = responseShownAs(request, 'A').length;
    const b = responseShownAs(request, 'B').length;
    return { content: JSON.stringify({ winner: a > b ? 'A' : b > a ? 'B' : 'tie', explanation: 'length' }) };
  });
  const m = await runInProcess(['migrate', ...store]);
  assert.equal(m.code, 0, m.stderr);
});

after(async () => {
  await models?.close();
  await candidates?.close();
  await judge?.close();
  rmSync(root, { recursive: true, force: true, maxRetries: 5 });
});

function gate(candidate: string, extra: string[] = []) {
  return runInProcess([
    'gate',
    ...store,
    '--rubrics',
    rubrics,
    '--holdout',
    holdout,
    '--baseline-url',
    models.baseUrl,
    '--baseline-model',
    'base',
    '--candidate-url',
    candidates.baseUrl,
    '--candidate-model',
    candidate,
    '--judge-url',
    judge.baseUrl,
    '--judge-model',
    'judge',
    '--retries',
    '0',
    '--format',
    'json',
    ...extra,
  ]);
}

interface Report {
  verdict: string;
  exit_code: number;
  reasons: string[];
  rubrics: {
    id: string;
    baseline: number;
    candidate: number;
    delta: number;
    ci: [number, number];
    critical: boolean;
  }[];
  combined: { ci: [number, number] };
  preference_accuracy: { method: string; accuracy: number } | null;
  requests: { baseline: number; candidate: number; cache_hits: number };
  run_id: string;
}

test('a candidate better on every rubric ships (exit 0), with the report on disk and the run and answers stored', async () => {
  const out = join(root, 'report-ship');
  const r = await gate('better', ['--out', out]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.verdict, 'ship');
  const completeness = report.rubrics.find((x) => x.id === 'completeness')!;
  assert.ok(completeness.delta > 0 && completeness.ci[0] > 0, JSON.stringify(completeness));
  assert.equal(report.rubrics.find((x) => x.id === 'toxicity')!.critical, true);
  assert.ok(report.combined.ci[0] > 0);
  assert.equal(report.preference_accuracy?.method, 'judge_win_rate');
  assert.equal(report.preference_accuracy?.accuracy, 1);
  for (const [server, model] of [
    [models, 'base'],
    [candidates, 'better'],
  ] as const) {
    const answers = server.requests.filter(
      (q) => q.path === '/v1/chat/completions' && q.body.prompt_logprobs === undefined,
    );
    assert.equal(answers.length, N, `each distinct prompt once to ${model}`);
    assert.ok(answers.every((q) => q.body.model === model));
    assert.equal(
      server.count('/v1/completions'),
      2,
      "the first pair's two log-probabilities asked of each model, refused (404): the judge instead",
    );
  }
  for (const f of ['report.md', 'report.json', 'report.html']) assert.ok(existsSync(join(out, f)), f);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /<svg[\s\S]*<\/svg>/);
  assert.doesNotMatch(html, /<script|https?:\/\/(?!127\.0\.0\.1|www\.w3\.org)/, 'self-contained');
  const spans = await runInProcess([
    'sql',
    ...store,
    '--format',
    'json',
    `SELECT ModelName AS model, count() AS n, countIf(SpanAttributes['prefloop.gate.run_id'] = '${report.run_id}') AS run FROM otel_traces WHERE ServiceName = 'prefloop-gate' GROUP BY model ORDER BY model`,
  ]);
  assert.equal(spans.code, 0, spans.stderr);
  assert.deepEqual(
    spans.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .map((row) => [row.model, Number(row.n), Number(row.run)]),
    [
      ['base', N, N],
      ['better', N, N],
    ],
  );
  const paired = await runInProcess([
    'sql',
    ...store,
    '--format',
    'json',
    `SELECT count() AS n FROM llm_spans WHERE ServiceName = 'prefloop-gate'`,
  ]);
  assert.equal(
    Number((JSON.parse(paired.stdout) as { n: string }).n),
    0,
    'gate answers are no pair candidates',
  );
  const scored = await runInProcess([
    'sql',
    ...store,
    '--format',
    'json',
    `SELECT count() AS n FROM evaluations WHERE SpanId IN (SELECT SpanId FROM otel_traces WHERE ServiceName = 'prefloop-gate')`,
  ]);
  assert.ok(Number((JSON.parse(scored.stdout) as { n: string }).n) >= 2 * N * 3 - 2 * N, scored.stdout);
  const runs = await runInProcess([
    'sql',
    ...store,
    '--format',
    'json',
    `SELECT Verdict, RubricFileHash, ManifestHash != '' AS has_manifest, CandidateModel, BaselineModel, JudgeVersion, HoldoutRubricVersions, JSONExtractString(Report, 'verdict') AS v FROM gate_runs WHERE RunId = '${report.run_id}'`,
  ]);
  const row = JSON.parse(runs.stdout) as Record<string, unknown>;
  assert.equal(row.Verdict, 'ship');
  assert.equal(row.CandidateModel, 'better');
  assert.equal(row.BaselineModel, 'base');
  assert.equal(
    row.RubricFileHash,
    (JSON.parse(r.stdout) as { rubric_file: { version: string } }).rubric_file.version,
  );
  assert.equal(row.JudgeVersion, 'gate-pairwise@1/judge', 'the judge behind the win rate');
  assert.deepEqual(row.HoldoutRubricVersions, ['completeness@1', 'toxicity@1'], 'the export manifest used');
  assert.equal(Number(row.has_manifest), 1);
  assert.equal(row.v, 'ship');
});

test('a re-run costs no model request: every answer and verdict comes from the cache', async () => {
  const before = asked();
  const judged = judge.requests.length;
  const r = await gate('better');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(asked(), before, 'no request to either model');
  assert.equal(judge.requests.length, judged, 'no request to the judge');
  const report = JSON.parse(r.stdout) as Report;
  assert.deepEqual(report.requests, { baseline: 0, candidate: 0, cache_hits: report.requests.cache_hits });
  assert.ok(report.requests.cache_hits >= 2 * N);
});

test('a candidate better on average but abusive rolls back (exit 2) and names the critical rubric', async () => {
  const r = await gate('abusive', ['--format', 'table']);
  assert.equal(r.code, 2, r.stderr + r.stdout);
  assert.match(r.stdout, /verdict: rollback/);
  assert.match(r.stdout, /critical rubric toxicity: 0\.000 → 0\.700/);
  assert.match(r.stdout, /although the combined score gained/);
});

test('a candidate within noise holds (exit 1): the combined interval does not clear 0', async () => {
  const r = await gate('noisy');
  assert.equal(r.code, 1, r.stderr + r.stdout);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.verdict, 'hold');
  assert.ok(report.combined.ci[0] <= 0, JSON.stringify(report.combined));
  assert.match(report.reasons.join('\n'), /did not clearly improve/);
});

test('a hold-out exported under another rubric version warns and says which version the gate used', async () => {
  writeFileSync(
    join(holdoutDir, 'manifest.json'),
    JSON.stringify({ format: 'dpo-chat', rubric_versions: ['completeness@0'] }),
  );
  try {
    const r = await gate('better');
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /warning: the hold-out was exported under other rubric versions \(completeness@0.*the gate scores with .*rubrics\.yaml \(rubric file version [0-9a-f]{12}\): completeness@1/,
    );
  } finally {
    writeFileSync(
      join(holdoutDir, 'manifest.json'),
      JSON.stringify({ format: 'dpo-chat', rubric_versions: ['completeness@1', 'toxicity@1'] }),
    );
  }
});

test('bad input: exit 3 (never a verdict code) with the thing named', async () => {
  const unreachable = await runInProcess([
    'gate',
    ...store,
    '--rubrics',
    rubrics,
    '--holdout',
    holdout,
    '--baseline-url',
    'http://127.0.0.1:9/v1',
    '--baseline-model',
    'base',
    '--candidate-url',
    candidates.baseUrl,
    '--candidate-model',
    'better',
    '--retries',
    '0',
    '--cache',
    'off',
  ]);
  assert.equal(unreachable.code, 3);
  assert.match(
    unreachable.stderr,
    /could not run: baseline model base at http:\/\/127\.0\.0\.1:9\/v1 is unreachable/,
  );

  const broken = await gate('broken', ['--cache', 'off']);
  assert.equal(broken.code, 3);
  assert.match(broken.stderr, /candidate model broken at .* answered HTTP 500/);

  const empty = join(root, 'empty.jsonl');
  writeFileSync(empty, '\n');
  const e = await runInProcess([
    'gate',
    ...store,
    '--holdout',
    empty,
    '--baseline-url',
    'x',
    '--baseline-model',
    'a',
    '--candidate-url',
    'y',
    '--candidate-model',
    'b',
  ]);
  assert.equal(e.code, 3);
  assert.match(e.stderr, /the hold-out .*empty\.jsonl is empty/);

  const missing = await runInProcess(['gate', ...store, '--holdout', holdout, '--baseline-model', 'a']);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /--baseline-url is required/);

  const sent = asked();
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  const out = await gate('better', ['--cache', 'off', '--out', file]);
  assert.equal(out.code, 3);
  assert.match(out.stderr, /cannot put the gate report in .*a-file: it is a file, not a folder/);
  assert.equal(asked(), sent, 'refused before any model was asked');

  const typo = await runInProcess(['gate', ...store, '--holdotu', holdout]);
  assert.equal(typo.code, 3, 'an option that does not parse is no verdict either');
  assert.match(typo.stderr, /Unknown option '--holdotu'/);
});

test('an embedded store held by a running serve: exit 3 saying to stop serve or use a ClickHouse server', async () => {
  // A lock this process wrote reads as held (the CLI runs in this process here).
  const release = writeServeLock(storeDir, 'http://127.0.0.1:4318/v1/query');
  const sent = asked();
  try {
    const r = await gate('better', ['--cache', 'off']);
    assert.equal(r.code, 3);
    assert.match(
      r.stderr,
      /is held by a running `prefloop serve` \(pid (\d+)\).*Stop serve \(`kill \1`.*run this same `prefloop gate` command again.*--store http:\/\/host:8123/,
    );
    assert.equal(asked(), sent, 'refused before any model was asked');
  } finally {
    release();
  }
});
