// The bench report: a repeated run kind is summarised by its median run, and every run's figure is listed;
// prefloop's per-core figure counts its main thread and V8's helpers, and the details bound it with libuv's pool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { medianRun, renderReport, type E2eResult, type ReportInput } from '../../../bench/report.js';
import type { RawInsertResult } from '../../../bench/phases.js';

function run(rubrics: boolean, mainCpuSeconds: number): E2eResult {
  return {
    rubrics,
    spansSent: 60_000,
    rows: 60_000,
    warmup: { rows: 10_240, mainThreadCpuSeconds: 1.5 },
    spooled: 0,
    dropped: 0,
    evaluations: rubrics ? 360_000 : 0,
    seconds: 20,
    spansPerSecond: 3_000,
    spansPerCpuSecond: 2_000,
    cpuSeconds: 30,
    mainThreadCpuSeconds: mainCpuSeconds,
    spansPerMainThreadCpuSecond: 60_000 / mainCpuSeconds,
    closeMainThreadCpuSeconds: 0.2,
    v8HelpersCpuSeconds: 2,
    libuvPoolCpuSeconds: 3,
    maxRssBytes: 1 << 30,
    latenciesMs: [10, 20],
    retries: 0,
    failures: 0,
  };
}

/** A full bench's report input around `runs` (no raw limits, sections or notes). */
function reportInput(runs: E2eResult[]): ReportInput {
  return {
    quick: false,
    serveFlags: [],
    machine: 'test machine',
    date: '2026-11-27',
    source: 'test',
    spans: 60_000,
    warmupSpans: 10_240,
    perRequest: 512,
    concurrency: 4,
    bodyBytes: 60_000 * 1_700,
    decode: { spansPerSecond: 100_000, mbPerSecond: 160 } as never,
    raws: [],
    runs,
    sections: [],
    notes: [],
    minutes: 6,
  };
}

test("the median run is the middle one by spans per CPU-s of prefloop's threads, the lower middle of an even count", () => {
  const [slow, mid, fast] = [run(true, 8), run(true, 6), run(true, 5)];
  assert.equal(medianRun([fast, slow, mid]), mid);
  assert.equal(medianRun([fast, slow]), slow);
  assert.equal(medianRun([]), undefined);
});

test('the summary shows the median rubrics run; the note and the details list every run', () => {
  const runs = [run(true, 8), run(false, 3), run(true, 5), run(true, 6)];
  const md = renderReport(reportInput(runs));
  const summary = md.split('\n').filter((l) => l.startsWith('| End to end, deterministic rubrics on'));
  assert.equal(summary.length, 1);
  // Prefloop's threads: 60,000 / (main + 2 s of V8 helpers): 6,000, 8,571 and 7,500; the main thread alone: 10,000.
  assert.match(summary[0]!, /\| 7,500 \| 10,000 \|/, 'the median run by both figures');
  assert.match(summary[0]!, /\| no \| yes \|/, "met by the main thread alone, not by prefloop's threads");
  assert.match(md, /ran 3 times \(in run order: 6,000, 8,571, 7,500 spans per CPU-s of prefloop's threads\)/);
  const details = md.split('\n').filter((l) => l.startsWith('| rubrics on'));
  assert.equal(details.length, 3);
  assert.equal(details.filter((l) => l.includes('(median)')).length, 1);
  assert.ok(
    details.every((l) => l.includes('| 10,240, 1.50 | 0.20 |')),
    'the warm-up and closing the server are listed apart, outside the clock',
  );
  assert.match(md, /each server is warmed up:\n {2}10,240 other spans/);
  // Main thread, V8 helpers and libuv's pool, then prefloop's rate (60,000 / (8 + 2)); no raw limit, no bound.
  assert.ok(
    details.some((l) => l.includes('| 8.00 | 2.00 | 3.00 | 6,000 | n/a |')),
    details.join('\n'),
  );
  assert.match(md, /\| End to end, no rubrics \| 1\.00 \| [\d,]+ \| 12,000 \| 20,000 \|/);
});

test('runs of which one has no main-thread figure are ranked by spans per second, all of them', () => {
  const a = { ...run(true, 5), spansPerSecond: 3_000 };
  const b = { ...run(true, 8), spansPerSecond: 1_000 };
  const c = {
    ...run(true, 6),
    mainThreadCpuSeconds: null,
    spansPerMainThreadCpuSecond: null,
    spansPerSecond: 2_000,
  };
  assert.equal(medianRun([a, b, c]), c, 'the middle by spans/s (1,000 < 2,000 < 3,000)');
});

test('a run with extra V8 flags for the server says so at the top, with the command that repeats it', () => {
  const md = renderReport({
    ...reportInput([run(true, 5)]),
    serveFlags: ['--single-threaded-gc', '--no-concurrent-recompilation'],
  });
  assert.match(md, /npm run bench -- --serve-flags "--single-threaded-gc --no-concurrent-recompilation"/);
  assert.match(md, /ran with extra V8 flags: `--single-threaded-gc --no-concurrent-recompilation`/);
});

test("runs of which one has no V8 helpers' figure are ranked by the main thread, all of them", () => {
  const a = { ...run(true, 5), v8HelpersCpuSeconds: 9 };
  const b = { ...run(true, 8), v8HelpersCpuSeconds: 0 };
  const c = { ...run(true, 6), v8HelpersCpuSeconds: null };
  assert.equal(
    medianRun([a, b, c]),
    c,
    'the middle by the main thread (5 < 6 < 8 CPU-s), not by 14, 8 and n/a',
  );
});

test("the details bound prefloop's cost with the pool's CPU beyond the raw limit's for the same rows", () => {
  const raw = (rubrics: boolean, libuvPoolCpuSeconds: number | null): RawInsertResult => ({
    rubrics,
    rows: 60_000,
    evaluations: rubrics ? 360_000 : 0,
    inserts: 3,
    batchMaxRows: 20_000,
    seconds: 10,
    cpuSeconds: 12,
    mainThreadCpuSeconds: 0.1,
    libuvPoolCpuSeconds,
    spansPerSecond: 6_000,
    spansPerCpuSecond: 5_000,
    spansPerMainThreadCpuSecond: 600_000,
    maxRssBytes: 1 << 30,
  });
  const detail = (rawPool: number | null, runPool: number) => {
    const md = renderReport({
      ...reportInput([{ ...run(true, 8), libuvPoolCpuSeconds: runPool }]),
      raws: [raw(false, 0.5), raw(true, rawPool)],
    });
    return md.split('\n').find((l) => l.startsWith('| rubrics on'))!;
  };
  // 60,000 / (8 + 2 + (3 - 1)): the pool's excess over the raw limit with rubric rows, not over span rows alone.
  assert.match(detail(1, 3), /\| 6,000 \| 5,000 \|/);
  assert.match(detail(4, 3), /\| 6,000 \| 6,000 \|/, "a pool below the raw limit's adds nothing");
  assert.match(detail(null, 3), /\| 6,000 \| n\/a \|/, "no bound without the raw limit's pool figure");
  const twice = renderReport({
    ...reportInput([{ ...run(true, 8), libuvPoolCpuSeconds: 3 }]),
    raws: [{ ...raw(true, 2), rows: 120_000 }],
  });
  assert.match(twice, /\| 6,000 \| 5,000 \|/, 'a raw limit over twice the rows: its pool CPU per row counts');
});
