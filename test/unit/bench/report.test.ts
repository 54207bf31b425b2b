// The bench report: a repeated run kind is summarised by its median run, and every run's figure is listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { medianRun, renderReport, type E2eResult, type ReportInput } from '../../../bench/report.js';

function run(rubrics: boolean, mainCpuSeconds: number): E2eResult {
  return {
    rubrics,
    spansSent: 60_000,
    rows: 60_000,
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
    otherNodeThreadsCpuSeconds: 2,
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

test('the median run is the middle one by spans per main-thread CPU-s, the lower middle of an even count', () => {
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
  assert.match(summary[0]!, /\| 10,000 \|/, 'the median of 7,500, 12,000 and 10,000');
  assert.match(md, /ran 3 times \(in run order: 7,500, 12,000, 10,000 spans per main-thread CPU-s\)/);
  const details = md.split('\n').filter((l) => l.startsWith('| rubrics on'));
  assert.equal(details.length, 3);
  assert.equal(details.filter((l) => l.includes('(median)')).length, 1);
  assert.ok(
    details.every((l) => l.includes('| 0.20 |')),
    'closing the server is listed apart, outside the clock',
  );
  // Node's other threads: their CPU-s, and spans per CPU-s of them with the main thread (60,000 / (8 + 2)).
  assert.ok(
    details.some((l) => l.includes('| 8.00 | 2.00 | 6,000 |')),
    details.join('\n'),
  );
  assert.match(md, /\| End to end, no rubrics \| 1\.00 \| [\d,]+ \| 20,000 \|/);
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
