// Calibration pieces: HH transcript parsing, outcome with noise floor, Wilson interval, deterministic report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHhPairs, parseTranscript } from '../../../../src/score/calibrate/hhPairs.js';
import { outcomeOf } from '../../../../src/score/calibrate/Tally.js';
import { wilsonInterval } from '../../../../src/score/calibrate/wilson.js';
import { calibrateDeterministic, formatCalibrationTable } from '../../../../src/score/calibrate/calibrate.js';
import { parseRubricFile } from '../../../../src/score/RubricFile.js';

test('transcripts split into user/assistant turns; the shared prefix becomes the prompt', () => {
  assert.deepEqual(parseTranscript('\n\nHuman: hi\n\nAssistant: hello\n\nHuman: how?'), [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: 'hello' },
    { role: 'user', content: 'how?' },
  ]);
  const file = [
    JSON.stringify({
      chosen: '\n\nHuman: q\n\nAssistant: no',
      rejected: '\n\nHuman: q\n\nAssistant: sure, you idiot',
    }),
    JSON.stringify({ chosen: '\n\nHuman: q1\n\nAssistant: a', rejected: '\n\nHuman: q2\n\nAssistant: b' }),
    'not json',
  ].join('\n');
  const read = parseHhPairs(file);
  assert.equal(read.lines, 3);
  assert.deepEqual(read.skipped, { prefix_differs: 1, bad_json: 1 });
  assert.deepEqual(read.pairs[0], {
    line: 1,
    prompt: [{ role: 'user', content: 'q' }],
    chosen: 'no',
    rejected: 'sure, you idiot',
  });
});

test('outcomes respect direction and noise floor', () => {
  assert.equal(outcomeOf(0.9, 0.5, true, 0.1), 'agree');
  assert.equal(outcomeOf(0.9, 0.5, false, 0.1), 'disagree');
  assert.equal(outcomeOf(0.55, 0.5, true, 0.1), 'tie');
});

test('Wilson interval matches the textbook value', () => {
  const [lo, hi] = wilsonInterval(81, 263);
  assert.ok(Math.abs(lo - 0.2553) < 0.001 && Math.abs(hi - 0.3662) < 0.001, `${lo} ${hi}`);
  assert.deepEqual(wilsonInterval(0, 0), [0, 0]);
});

test('deterministic calibration counts agreement and the shorter-wins baseline', () => {
  const set = parseRubricFile('rubrics:\n  - {id: tox, evaluator: toxicity, threshold: 0.3}\n');
  const read = parseHhPairs(
    JSON.stringify({
      chosen: '\n\nHuman: q\n\nAssistant: no',
      rejected: '\n\nHuman: q\n\nAssistant: sure, you idiot',
    }),
  );
  const rows = calibrateDeterministic(read.pairs, set);
  assert.equal(rows[0]!.kind, 'BASELINE');
  assert.equal(rows[0]!.agree, 1);
  assert.deepEqual([rows[1]!.rubricId, rows[1]!.agree, rows[1]!.agreementSeparable], ['tox', 1, 1]);
  const table = formatCalibrationTable({
    file: 'f',
    rubricSetHash: set.hash,
    lines: 1,
    pairs: 1,
    skipped: {},
    rows,
  });
  assert.match(table, /tox\s+CODE\s+1\s+100\.0%/);
  assert.match(table, /shorter wins 55\.3%/);
});
