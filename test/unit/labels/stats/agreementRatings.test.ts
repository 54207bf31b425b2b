// The ratings table → report (which statistics apply, each with its seeded interval), and the ratings
// file parser (CSV and JSONL, every bad line named).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ratingsReport, type Rating } from '../../../../src/labels/stats/ratings.js';
import { parseRatings, RatingsFileError } from '../../../../src/labels/stats/ratingsFile.js';
import { cohenKappa } from '../../../../src/labels/stats/cohen.js';

const close = (actual: number, expected: number, digits = 6): void => {
  assert.ok(Math.abs(actual - expected) < 0.5 * 10 ** -digits, `${actual} ≠ ${expected}`);
};

test('report: alpha always; Fleiss when every unit has the same number of ratings; Cohen for two annotators', () => {
  const two: Rating[] = [];
  const a = ['x', 'x', 'y', 'y', 'x', 'y', 'x', 'x'];
  const b = ['x', 'y', 'y', 'y', 'x', 'y', 'x', 'y'];
  a.forEach((v, i) =>
    two.push(
      { unit: `u${i}`, annotator: 'ann', value: v },
      { unit: `u${i}`, annotator: 'bob', value: b[i] as string },
    ),
  );
  const r = ratingsReport(two, { seed: 5, resamples: 200 });
  assert.equal(r.units, 8);
  assert.equal(r.annotators, 2);
  close(r.cohen_kappa?.value ?? Number.NaN, cohenKappa(a, b));
  assert.ok(r.fleiss_kappa);
  assert.ok(r.krippendorff_alpha.ci_low <= r.krippendorff_alpha.value);
  // The measurement level never leaks into the bootstrap's coverage (an interval of NaN once did).
  const ordinal = ratingsReport(
    two.map((x) => ({ ...x, value: x.value === 'x' ? 1 : 2 })),
    { level: 'interval', resamples: 100 },
  );
  assert.ok(
    Number.isFinite(ordinal.krippendorff_alpha.ci_low) && Number.isFinite(ordinal.krippendorff_alpha.ci_high),
  );
  // Kappas are nominal statistics: beside an interval alpha they would misstate the same data (DESIGN.md).
  assert.equal(ordinal.fleiss_kappa, undefined);
  assert.equal(ordinal.cohen_kappa, undefined);
  assert.deepEqual(ratingsReport(two, { seed: 5, resamples: 200 }), r, 'seeded: same report twice');
  // A third annotator on one unit only: no Cohen, and units differ in size → no Fleiss (fixed raters).
  const three = [...two, { unit: 'u0', annotator: 'cy', value: 'x' }];
  const r3 = ratingsReport(three, { resamples: 50 });
  assert.equal(r3.cohen_kappa, undefined);
  assert.equal(r3.fleiss_kappa, undefined);
  assert.ok(ratingsReport(three, { resamples: 50, fleiss: 'any' }).fleiss_kappa);
});

test('parser: CSV with header in any column order, quotes, numbers as numbers, a missing rating absent', () => {
  const rows = parseRatings('annotator,unit,value\nann,1,3\n"b,o",1,4\nann,2,"x ""y"""\n\n');
  assert.deepEqual(rows, [
    { unit: '1', annotator: 'ann', value: 3 },
    { unit: '1', annotator: 'b,o', value: 4 },
    { unit: '2', annotator: 'ann', value: 'x "y"' },
  ]);
});

test('parser: JSONL rows', () => {
  const rows = parseRatings(
    '{"unit":"a","annotator":"x","value":1}\n{"unit":2,"annotator":"y","value":"good"}\n',
  );
  assert.deepEqual(rows, [
    { unit: 'a', annotator: 'x', value: 1 },
    { unit: '2', annotator: 'y', value: 'good' },
  ]);
});

test('parser: every bad line named, nothing returned', () => {
  const bad = 'unit,annotator,value\n1,a,3\n1,a,4\n2,,1\n3,b\n4,c,"open\n';
  assert.throws(
    () => parseRatings(bad, 'r.csv'),
    (err: unknown) => {
      assert.ok(err instanceof RatingsFileError);
      assert.match(err.message, /^r\.csv: 4 bad line/);
      assert.deepEqual(err.problems, [
        'line 3: annotator a already rated unit 1 on line 2',
        'line 4: annotator is empty',
        'line 5: 2 fields, the header has 3',
        'line 6: unclosed quote',
      ]);
      return true;
    },
  );
  assert.throws(
    () => parseRatings('item,rater,score\n1,a,2\n'),
    /line 1: the CSV header must name the columns unit,annotator,value/,
  );
  assert.throws(
    () => parseRatings('{"unit":1,"annotator":"a"}\nnot json\n[1]\n'),
    (err: unknown) => {
      assert.ok(err instanceof RatingsFileError);
      assert.match(err.problems[0] ?? '', /^line 1: value must be/);
      assert.match(err.problems[1] ?? '', /^line 2: not JSON/);
      assert.match(err.problems[2] ?? '', /^line 3: expected an object/);
      return true;
    },
  );
  assert.throws(() => parseRatings('  \n'), /empty/);
  assert.throws(() => parseRatings('unit,annotator,value\n'), /only a header/);
});
