// The readiness rules on hand-made facts: each signal's bands and the weakest-signal verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideReadiness } from '../../../src/gate/readiness.js';
import type { ReadinessFacts } from '../../../src/gate/readiness.js';

const ready: ReadinessFacts = {
  conversations30d: 150_000,
  maxRubricVersions90d: 1,
  rubricFileVersions90d: 2,
  combined: { status: 'agrees', agreement: 0.82, humanPairs: 400 },
  rubricStatuses: [{ rubric: 'helpful', status: 'agrees', agreement: 0.8 }],
  judges: [{ version: 'helpful@1/gpt', status: 'calibrated', kappa: 0.71 }],
  pairs: 5000,
  classesWithPairs: 40,
  medianPairsPerClass: 90,
  scoredClasses: 50,
  separatedClasses: 35,
  labelKappa: 0.74,
  labelledPairs: 300,
};
const level = (f: ReadinessFacts, name: string) =>
  decideReadiness(f).signals.find((s) => s.name === name)!.level;

test('every signal clear: yes, and the next step is to export and tune', () => {
  const r = decideReadiness(ready);
  assert.equal(r.verdict, 'yes');
  assert.match(r.signals[0]!.reason, /150,000 LLM conversations/);
  assert.match(r.signals.find((s) => s.name === 'density')!.reason, /70% of 50 scored classes/);
  assert.match(r.next_step, /prefloop export/);
});

test('volume bands at the seed line and a tenth of it', () => {
  assert.equal(level({ ...ready, conversations30d: 100_000 }, 'volume'), 'yes');
  assert.equal(level({ ...ready, conversations30d: 99_999 }, 'volume'), 'maybe');
  assert.equal(level({ ...ready, conversations30d: 9_999 }, 'volume'), 'no');
  const no = decideReadiness({ ...ready, conversations30d: 9_999 });
  assert.equal(no.verdict, 'no');
  assert.match(
    no.next_step,
    /prompt optimisation and retrieval first/,
    "the seed's no: prompt work and retrieval",
  );
});

test('density bands at 1,000 pairs and a tenth of it', () => {
  assert.equal(level({ ...ready, pairs: 1000 }, 'density'), 'yes');
  assert.equal(level({ ...ready, pairs: 999 }, 'density'), 'maybe');
  assert.equal(level({ ...ready, pairs: 100 }, 'density'), 'maybe');
  assert.equal(level({ ...ready, pairs: 99 }, 'density'), 'no');
});

test('stability: the file or one rubric changing often is maybe, then no; no results at all is no', () => {
  assert.equal(level({ ...ready, rubricFileVersions90d: 3 }, 'stability'), 'maybe');
  assert.equal(level({ ...ready, maxRubricVersions90d: 6 }, 'stability'), 'no');
  assert.equal(level({ ...ready, maxRubricVersions90d: 0, rubricFileVersions90d: 0 }, 'stability'), 'no');
});

test('calibration: below the floor or a judge under its floor is no; never measured is maybe', () => {
  assert.equal(
    level({ ...ready, combined: { status: 'below_floor', agreement: 0.4, humanPairs: 90 } }, 'calibration'),
    'no',
  );
  assert.equal(
    level({ ...ready, judges: [{ version: 'j', status: 'under_floor', kappa: 0.2 }] }, 'calibration'),
    'no',
  );
  assert.equal(level({ ...ready, combined: null }, 'calibration'), 'maybe');
  assert.equal(
    level({ ...ready, combined: { status: 'unknown', agreement: null, humanPairs: 3 } }, 'calibration'),
    'maybe',
  );
});

test('labels: kappa bands at 0.7 and 0.5; none yet is maybe with "collect labels" as the next step', () => {
  assert.equal(level({ ...ready, labelKappa: 0.6 }, 'labels'), 'maybe');
  assert.equal(level({ ...ready, labelKappa: 0.3 }, 'labels'), 'no');
  const none = decideReadiness({ ...ready, labelKappa: null, labelledPairs: 0 });
  assert.equal(none.verdict, 'maybe');
  assert.match(none.signals.find((s) => s.name === 'labels')!.reason, /no labels yet/);
  assert.match(none.next_step, /prefloop synth.*prefloop review sample/);
});

test('the lines can be moved: a smaller product sets its own volume and pair lines', () => {
  const small = { ...ready, conversations30d: 2_000, pairs: 150 };
  assert.equal(decideReadiness(small).verdict, 'no');
  assert.equal(decideReadiness(small, { conversations: 2_000, pairs: 150 }).verdict, 'yes');
});
