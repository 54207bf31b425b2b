// The judge drift alarm, driven through the serve schedule's runNow (real engine, chDB): the spot-check
// share of judge pairs goes to review; the alarm rises when people stop agreeing with the judge while
// agreeing with each other, clears when they agree again; gauges on /metrics, one log line per change,
// and `prefloop calibrate --check` exits 1 while the alarm stands, 0 after.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '../../../src/names.js';
import { Metrics } from '../../../src/observe/Metrics.js';
import { setDiagHandler, type DiagHandler } from '../../../src/observe/diag.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { migrate } from '../../../src/sink/migrate.js';
import { JUDGE_DRIFT_DEFAULTS, scheduleJudgeDrift } from '../../../src/labels/calibration/scheduleDrift.js';
import { checkDrift } from '../../../src/labels/calibration/driftCheck.js';
import { runInProcess } from '../faults/cliHarness.js';
import { ask, insertSpans, llmSpan } from '../../helpers/traces.js';

const N = 30;
const root = mkdtempSync(join(tmpdir(), 'prefloop-drift-'));
const dir = join(root, 'data');
const store = ['--store', `embedded:${dir}`];
const logs: string[] = [];
const quiet: DiagHandler = () => {};
const spans: { a: ReturnType<typeof llmSpan>; b: ReturnType<typeof llmSpan> }[] = [];

before(async () => {
  const db = new ChdbStore(dir, 'prefloop');
  try {
    await migrate(db);
    for (let i = 0; i < N; i++) {
      const a = llmSpan({ prompt: ask(`spot ${i}`), response: `better ${i}`, time: 1 });
      const b = llmSpan({ prompt: ask(`spot ${i}`), response: `worse ${i}`, time: 2 });
      await insertSpans(db, [a, b]);
      spans.push({ a, b });
      await db.insert(TABLES.judgeVerdicts, [
        {
          Timestamp: (BigInt(Date.now()) * 1_000_000n).toString(),
          RubricId: 'helpful_judge',
          RubricVersion: '7',
          PromptHash: '',
          TraceIdA: a.traceId,
          SpanIdA: a.spanId,
          TraceIdB: b.traceId,
          SpanIdB: b.spanId,
          Winner: 'A',
          Confidence: 1,
          Flipped: 0,
          Explanation: '',
          JudgeModel: 'jm',
        },
      ]);
    }
  } finally {
    await db.close();
  }
});
after(() => {
  setDiagHandler(quiet);
  rmSync(root, { recursive: true, force: true, maxRetries: 5 });
});

async function check(): Promise<number | null> {
  return (await runInProcess(['calibrate', '--check', ...store])).code;
}

test('the alarm rises when people disagree with the judge, and clears when they agree again', async () => {
  setDiagHandler((level, component, message) => logs.push(`${level} [${component}] ${message}`));
  const metrics = new Metrics();
  const stops: (() => Promise<void> | void)[] = [];
  let db = new ChdbStore(dir, 'prefloop');
  const settings = {
    ...JUDGE_DRIFT_DEFAULTS,
    enabled: true,
    interval: 3_600_000,
    spot_check_share: 1,
    annotators: ['ann', 'bob'],
    minItems: 10,
  };
  try {
    const schedule = scheduleJudgeDrift(db, metrics, settings, (s) => void stops.push(s))!;
    const first = await schedule.runNow();
    assert.equal(first?.spotChecked, N, 'share 1: every judge pair goes to review');
    assert.deepEqual(first?.states, [], 'nothing labelled yet: no state');
    const assigned = await db.query<{ n: string; ids: string; random: string }>(
      `SELECT count() AS n, uniqExact(item_id) AS ids, countIf(match(item_id, '^[0-9a-f]{32}$')) AS random
       FROM ${TABLES.reviewAssignments} WHERE stratum = 'spot_check'`,
    );
    assert.equal(Number(assigned[0]!.n), 2 * N);
    // Each spot-check item has its own random id, as sampled ones do (the page never sees a pair id).
    assert.deepEqual(assigned[0], { n: String(2 * N), ids: String(2 * N), random: String(2 * N) });
    assert.equal((await schedule.runNow())?.spotChecked, 0, 'a pair is sent once');
    const pairs = (
      await db.query<{ pair_id: string }>(
        `SELECT DISTINCT pair_id FROM ${TABLES.reviewAssignments} ORDER BY pair_id`,
      )
    ).map((r) => r.pair_id);
    const label = (preferred: (i: number) => string, second: number) =>
      db.insert(
        TABLES.reviewLabels,
        pairs.flatMap((p, i) =>
          ['ann', 'bob'].map((a) => ({
            label_id: `${p}-${a}-${second}`,
            pair_id: p,
            annotator_id: a,
            preferred: preferred(i),
            labelled_at: new Date(Date.now() - 60_000 + second * 1000)
              .toISOString()
              .replace('T', ' ')
              .replace('Z', ''),
            via: 'api',
          })),
        ),
      );
    // People agree with each other but, on two thirds of the items, not with the judge.
    await label((i) => (i % 3 === 0 ? 'chosen' : 'rejected'), 1);
    const rose = await schedule.runNow();
    assert.equal(rose?.changes.length, 1);
    assert.equal(rose?.changes[0]?.change, 'rose');
    const s = rose!.states[0]!;
    assert.equal(s.rubric_id, 'helpful_judge');
    assert.equal(s.judge_version, 'helpful_judge@7/jm');
    assert.equal(s.window_items, N);
    assert.ok(Math.abs(s.judge_agreement! - 1 / 3) < 1e-12);
    assert.equal(s.baseline_agreement, 1);
    assert.match(metrics.render(), /prefloop_judge_drift_alarm\{rubric="helpful_judge"\} 1/);
    assert.match(metrics.render(), /prefloop_judge_human_agreement\{rubric="helpful_judge"\} 0\.333/);
    assert.ok(
      logs.some((l) => /^warn \[judge-drift\] judge drift alarm RAISED for rubric helpful_judge/.test(l)),
      logs.join('\n'),
    );
    // Still standing on the next check: no second log line.
    assert.equal((await schedule.runNow())?.changes.length, 0);
    await db.close();
    assert.equal(await check(), 1, 'calibrate --check fails while the alarm stands');
    db = new ChdbStore(dir, 'prefloop');
    // A restarted serve shows the standing alarm before its first check.
    const fresh = new Metrics();
    const again = scheduleJudgeDrift(db, fresh, settings, (st) => void stops.push(st))!;
    await again.ready;
    assert.match(fresh.render(), /prefloop_judge_drift_alarm\{rubric="helpful_judge"\} 1/);
    // People change their minds (later labels win): now they agree with the judge on 29 of 30.
    await label((i) => (i === 0 ? 'rejected' : 'chosen'), 2);
    const cleared = await again.runNow();
    assert.equal(cleared?.changes[0]?.change, 'cleared');
    assert.match(fresh.render(), /prefloop_judge_drift_alarm\{rubric="helpful_judge"\} 0/);
    assert.ok(
      logs.some((l) => /^info \[judge-drift\] judge drift alarm cleared for rubric helpful_judge/.test(l)),
    );
    for (const stop of stops) await stop();
  } finally {
    await db.close();
  }
  assert.equal(await check(), 0, 'calibrate --check passes once the alarm has cleared');
  const json = await runInProcess(['calibrate', '--check', ...store, '--format', 'json']);
  assert.equal((JSON.parse(json.stdout) as { alarms: number }).alarms, 0);
});

test('a rubric re-versioned mid-window: the latest verdict per answer pair counts, each label once', async () => {
  const db = new ChdbStore(dir, 'prefloop');
  try {
    // Version 8 of the judge now prefers the other answer on every pair; version 7's verdicts still stand.
    await db.insert(
      TABLES.judgeVerdicts,
      spans.map(({ a, b }) => ({
        Timestamp: (BigInt(Date.now()) * 1_000_000n).toString(),
        RubricId: 'helpful_judge',
        RubricVersion: '8',
        PromptHash: '',
        TraceIdA: a.traceId,
        SpanIdA: a.spanId,
        TraceIdB: b.traceId,
        SpanIdB: b.spanId,
        Winner: 'B',
        Confidence: 1,
        Flipped: 0,
        Explanation: '',
        JudgeModel: 'jm',
      })),
    );
    const { states, changes } = await checkDrift(db, { ...JUDGE_DRIFT_DEFAULTS, minItems: 10 });
    const s = states[0]!;
    assert.equal(s.judge_version, 'helpful_judge@8/jm');
    assert.equal(s.window_items, N);
    // People now pick "chosen" on 29 of 30 (both on item 0 "rejected"): version 8 matches 2 of 60 labels.
    assert.ok(Math.abs(s.judge_agreement! - 2 / 60) < 1e-12, String(s.judge_agreement));
    assert.equal(s.baseline_agreement, 1);
    assert.equal(changes[0]?.change, 'rose');
  } finally {
    await db.close();
  }
});

test('a standing alarm of a judge rubric serve no longer runs is cleared; one it runs is kept', async () => {
  const db = new ChdbStore(dir, 'prefloop');
  try {
    const row = (rubric: string) => ({
      rubric_id: rubric,
      judge_version: `${rubric}@1/jm`,
      measured_at: '2026-01-01 00:00:00',
      window_items: 30,
      judge_agreement: 0.3,
      baseline_agreement: 0.9,
      margin: 0.1,
      alarm: 1,
    });
    await db.insert(TABLES.judgeDrift, [row('retired_judge'), row('kept_judge')]);
    // Far past every label's window: nothing new to measure for either.
    const later = new Date(Date.now() + 365 * 86_400_000);
    const settings = { ...JUDGE_DRIFT_DEFAULTS, minItems: 10 };
    const unknown = await checkDrift(db, settings, later);
    assert.ok(
      unknown.states
        .filter((s) => s.rubric_id.endsWith('_judge') && s.rubric_id !== 'helpful_judge')
        .every((s) => s.alarm),
      'without the served list every standing alarm is kept',
    );
    const { states, changes } = await checkDrift(
      db,
      { ...settings, served: new Set(['kept_judge', 'helpful_judge']) },
      later,
    );
    const alarm = (id: string) => states.find((s) => s.rubric_id === id)?.alarm;
    assert.equal(alarm('retired_judge'), false);
    assert.equal(alarm('kept_judge'), true);
    assert.deepEqual(
      changes.map((c) => [c.rubric_id, c.change]),
      [['retired_judge', 'cleared']],
    );
  } finally {
    await db.close();
  }
});
