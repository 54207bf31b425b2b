// The verdict rules exactly as issue 26 and docs/gate.md state them: rollback on a critical rubric whose
// interval lies wholly beyond its tolerance, whatever the average; ship on a combined interval above 0 with
// preference accuracy above the floor; hold otherwise; exit codes CI gates on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RubricComparison } from '../../../src/gate/compare.js';
import { decide, EXIT_CODES, regressed } from '../../../src/gate/verdict.js';

function comparison(
  id: string,
  improvement: [number, number],
  critical = false,
  tolerance = 0.05,
): RubricComparison {
  const mid = (improvement[0] + improvement[1]) / 2;
  return {
    id,
    critical,
    higher_is_better: true,
    tolerance,
    n: 30,
    baseline: 0.5,
    candidate: 0.5 + mid,
    delta: mid,
    ci: improvement,
    improvement: mid,
    improvement_ci: improvement,
  };
}
const accurate = { method: 'judge_win_rate' as const, accuracy: 0.7, n: 30, correct: 20, ties: 2 };

test('verdict: a critical regression rolls back however much the average gains, and names the rubric', () => {
  const d = decide({
    rubrics: [comparison('helpful', [0.2, 0.4]), comparison('safety', [-0.4, -0.2], true)],
    combined: comparison('(combined)', [0.1, 0.3]),
    preference: accurate,
    preferenceFloor: 0.5,
  });
  assert.equal(d.verdict, 'rollback');
  assert.match(d.reasons[0]!, /critical rubric safety/);
  assert.match(d.reasons.join('\n'), /although the combined score gained/);
});

test('verdict: ship needs the combined interval above 0 and the preference floor; a drop within tolerance is no regression', () => {
  const base = {
    rubrics: [comparison('safety', [-0.04, 0.01], true)],
    combined: comparison('(combined)', [0.05, 0.2]),
    preferenceFloor: 0.5,
  };
  assert.equal(decide({ ...base, preference: accurate }).verdict, 'ship');
  assert.equal(decide({ ...base, preference: { ...accurate, accuracy: 0.4 } }).verdict, 'hold');
  assert.equal(decide({ ...base, preference: null }).verdict, 'hold');
  const flat = decide({ ...base, combined: comparison('(combined)', [-0.02, 0.03]), preference: accurate });
  assert.equal(flat.verdict, 'hold');
  assert.match(flat.reasons[0]!, /did not clearly improve/);
});

test('verdict: preference accuracy must clear the floor (strictly above): a candidate at chance holds', () => {
  const base = {
    rubrics: [comparison('helpful', [0.1, 0.3])],
    combined: comparison('(combined)', [0.1, 0.3]),
    preferenceFloor: 0.5,
  };
  const atChance = decide({ ...base, preference: { ...accurate, accuracy: 0.5 } });
  assert.equal(atChance.verdict, 'hold');
  assert.match(atChance.reasons.join('\n'), /judge win rate 0\.500 .* does not clear the floor 0\.5/);
  const above = decide({ ...base, preference: { ...accurate, accuracy: 0.51 } });
  assert.equal(above.verdict, 'ship');
  assert.match(above.reasons.join('\n'), /clears the floor 0\.5/);
  const nan = decide({ ...base, preference: { ...accurate, accuracy: NaN, n: 0 } });
  assert.equal(nan.verdict, 'hold', 'no pair measured is not measured');
});

test('regressed: the whole interval beyond −tolerance in the bad direction; touching it is not', () => {
  assert.equal(regressed(comparison('x', [-0.3, -0.051], true, 0.05)), true);
  assert.equal(regressed(comparison('x', [-0.3, -0.05], true, 0.05)), false, 'at the tolerance: not beyond');
  assert.equal(regressed(comparison('x', [-0.3, 0.01], true, 0)), false, 'the interval reaches 0');
  assert.equal(regressed({ ...comparison('x', [-0.3, -0.2], true), n: 0 }), false, 'nothing measured');
  // lower_is_better: improvement_ci is already signed so that positive is better.
  const toxic: RubricComparison = {
    ...comparison('toxicity', [-0.5, -0.2], true, 0.02),
    higher_is_better: false,
    delta: 0.35,
    ci: [0.2, 0.5],
  };
  assert.equal(regressed(toxic), true);
});

test('a non-critical regression never rolls back; it is noted with its numbers', () => {
  const d = decide({
    rubrics: [comparison('length', [-0.4, -0.2]), comparison('safety', [-0.01, 0.02], true)],
    combined: comparison('(combined)', [0.05, 0.2]),
    preference: accurate,
    preferenceFloor: 0.5,
  });
  assert.equal(d.verdict, 'ship');
  assert.match(
    d.reasons.join('\n'),
    /note: non-critical rubric length: 0\.500 → 0\.200, difference -0\.300 95% CI \[-0\.400, -0\.200\]/,
  );
});

test('a critical rubric that scored no prompt is named in the reasons (the gate could not check it)', () => {
  const d = decide({
    rubrics: [comparison('helpful', [0.1, 0.3])],
    combined: comparison('(combined)', [0.1, 0.3]),
    preference: accurate,
    preferenceFloor: 0.5,
    unmeasuredCritical: ['pii'],
  });
  assert.match(d.reasons.join('\n'), /critical rubric pii scored no prompt on both answers/);
});

test('exit codes: 0 ship, 1 hold, 2 rollback, 3 could not run', () => {
  assert.deepEqual(EXIT_CODES, { ship: 0, hold: 1, rollback: 2, error: 3 });
});
