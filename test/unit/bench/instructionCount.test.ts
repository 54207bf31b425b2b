// `npm run bench:instructions`: its arguments, the count read from valgrind's output, and its report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  argsOf,
  DEFAULT_RUNS,
  DEFAULT_TOP,
  instructionCount,
  median,
  renderCounts,
  type Counted,
} from '../../../bench/instructionCount.js';

test('arguments: revisions in order (else HEAD against the working tree), and --runs', () => {
  const counting = { runs: DEFAULT_RUNS, profile: false, top: DEFAULT_TOP };
  assert.deepEqual(argsOf([]), { ...counting, revisions: ['HEAD', '.'] });
  assert.deepEqual(argsOf(['main~3', 'main']), { ...counting, revisions: ['main~3', 'main'] });
  assert.deepEqual(argsOf(['--', '--runs', '5', 'abc123']), { ...counting, revisions: ['abc123'], runs: 5 });
  assert.throws(() => argsOf(['--runs', '0']), /--runs takes a whole number ≥ 1, not 0/);
  assert.throws(() => argsOf(['--runs', 'x']), /not x/);
  assert.throws(() => argsOf(['--runs']), /not nothing/);
  // A mistyped flag fails rather than being taken for nothing (or for a revision).
  assert.throws(() => argsOf(['--run', '5']), /unknown option --run/);
});

test('--profile: one revision (the working tree unless named), once, with --top rows', () => {
  assert.deepEqual(argsOf(['--profile']), { revisions: ['.'], runs: 1, profile: true, top: DEFAULT_TOP });
  assert.deepEqual(argsOf(['--profile', 'HEAD~2', '--top', '15']), {
    revisions: ['HEAD~2'],
    runs: 1,
    profile: true,
    top: 15,
  });
  assert.throws(() => argsOf(['--profile', 'HEAD', '.']), /--profile takes one revision, not HEAD \./);
  assert.throws(() => argsOf(['--profile', '--runs', '3']), /--runs does not apply/);
  assert.throws(() => argsOf(['--profile', '--top', '-1']), /--top takes a whole number ≥ 1, not -1/);
});

test("the count is cachegrind's I refs line, commas dropped; none without it", () => {
  const stderr = [
    '==18641== Cachegrind, a cache and branch-prediction profiler',
    '==18641== ',
    '==18641== I   refs:      16,834,768,011',
    '',
  ].join('\n');
  assert.equal(instructionCount(stderr), 16_834_768_011);
  assert.equal(instructionCount('node: bad option: --predictabl\n'), undefined);
  // A program's own output that merely mentions "I refs" is not the summary line.
  assert.equal(instructionCount('I refs: 12\n'), undefined);
});

test('median: the middle run, the lower middle of an even count', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2);
});

const counted = (revision: string, runs: number[], bytes = 179): Counted => ({
  revision,
  commit: revision === '.' ? 'working tree' : revision,
  runs,
  spans: 30_720,
  bytes,
});

test('the report gives each median against the first, and whether the runs tell them apart', () => {
  const report = renderCounts([
    counted('HEAD', [16_800, 16_700, 16_900]),
    counted('.', [16_000, 16_100, 16_050]),
    counted('other', [16_750, 16_950, 16_600]),
  ]);
  assert.match(report, /\| HEAD \| HEAD \| 16,800 \| — \| 16,700 – 16,900 \(3 runs, \+1\.20%\) \| — \|/);
  assert.match(report, /\| \. \| working tree \| 16,050 \| -4\.46% \| .* \| yes: the ranges do not meet \|/);
  assert.match(report, /\| other \| other \| 16,750 \| -0\.30% \| .* \| no: the ranges overlap \|/);
  assert.match(report, /Every revision encoded the same spans to the same number of bytes/);
});

test('the report names the revisions whose rows encoded differently', () => {
  const report = renderCounts([counted('a', [100]), counted('b', [99]), counted('c', [101], 180)]);
  assert.match(report, /Encoded output differs from a in c:/);
  // Single runs have no range, so the report does not claim to tell them apart.
  assert.match(
    report,
    /\| b \| b \| 99 \| -1\.00% \| 99 – 99 \(1 run, \+0\.00%\) \| not known: one run gives no range \|/,
  );
  assert.doesNotMatch(report, /Every revision encoded/);
  assert.equal(renderCounts([]), 'No revision was counted.\n');
});
