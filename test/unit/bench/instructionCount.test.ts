// `npm run bench:instructions`: its revisions, the count read from valgrind's output, and its report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  instructionCount,
  renderCounts,
  revisionsFrom,
  type Counted,
} from '../../../bench/instructionCount.js';

test('revisions: the arguments in order, else HEAD against the working tree', () => {
  assert.deepEqual(revisionsFrom([]), ['HEAD', '.']);
  assert.deepEqual(revisionsFrom(['main~3', 'main']), ['main~3', 'main']);
  assert.deepEqual(revisionsFrom(['--', 'abc123']), ['abc123']);
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

const counted = (revision: string, instructions: number, bytes: number): Counted => ({
  revision,
  commit: revision === '.' ? 'working tree' : revision,
  instructions,
  spans: 30_720,
  bytes,
});

test('the report gives each revision against the first, and says when outputs are alike', () => {
  const report = renderCounts([counted('HEAD', 16_935_170_822, 179), counted('.', 16_834_768_011, 179)]);
  assert.match(report, /\| HEAD \| HEAD \| 16,935,170,822 \| — \|/);
  assert.match(report, /\| \. \| working tree \| 16,834,768,011 \| -0\.59% \|/);
  assert.match(report, /Every revision encoded the same spans to the same number of bytes/);
});

test('the report names the revisions whose rows encoded differently', () => {
  const report = renderCounts([counted('a', 100, 179), counted('b', 99, 179), counted('c', 101, 180)]);
  assert.match(report, /Encoded output differs from a in c:/);
  assert.doesNotMatch(report, /Every revision encoded/);
  assert.equal(renderCounts([]), 'No revision was counted.\n');
});
