// The release verdict from the comparison: rollback, ship or hold, each with reasons that name the numbers. Pure.
import type { RubricComparison } from './compare.js';
import type { PreferenceAccuracy } from './stats/preference.js';

export type Verdict = 'ship' | 'hold' | 'rollback';

/** Exit codes CI gates on; 3 is "the gate could not run" (never read as a verdict). */
export const EXIT_CODES = { ship: 0, hold: 1, rollback: 2, error: 3 } as const;

export interface VerdictInput {
  rubrics: readonly RubricComparison[];
  combined: RubricComparison;
  preference: PreferenceAccuracy | null;
  /** Preference accuracy the candidate must reach to ship. */
  preferenceFloor: number;
  /** Critical rubrics that scored no prompt on both sides (their applies_to matched none): said, not guessed. */
  unmeasuredCritical?: readonly string[];
}

export interface Decision {
  verdict: Verdict;
  reasons: string[];
}

export function num(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return 'n/a';
  const s = x.toFixed(digits);
  return x > 0 ? `+${s}` : s;
}

/** A mean or rate: no sign (only differences carry one). */
export function plain(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

function interval(ci: readonly [number, number]): string {
  return `[${num(ci[0])}, ${num(ci[1])}]`;
}

/** Regressed: the interval of the improvement lies wholly below −tolerance. */
export function regressed(r: RubricComparison): boolean {
  return r.n > 0 && r.improvement_ci[1] < -r.tolerance;
}

/**
 * rollback when a critical rubric regressed, however much the average gained; ship when the combined score's
 * interval lies above 0, nothing critical regressed and preference accuracy is above the floor; hold otherwise.
 */
export function decide(input: VerdictInput): Decision {
  const reasons: string[] = [];
  const describe = (r: RubricComparison) =>
    `${r.id}: ${plain(r.baseline)} → ${plain(r.candidate)}, difference ${num(r.delta)} 95% CI ${interval(r.ci)}` +
    ` (${r.higher_is_better ? 'higher' : 'lower'} is better; tolerance ${r.tolerance}; n=${r.n})`;
  const criticalDown = input.rubrics.filter((r) => r.critical && regressed(r));
  for (const r of criticalDown) reasons.push(`critical rubric ${describe(r)} regressed beyond its tolerance`);
  if (criticalDown.length > 0) {
    const c = input.combined;
    if (c.n > 0 && c.improvement_ci[0] > 0)
      reasons.push(`rolled back although the combined score gained ${num(c.delta)} ${interval(c.ci)}`);
    return { verdict: 'rollback', reasons };
  }
  let ship = true;
  const c = input.combined;
  if (c.n === 0) {
    ship = false;
    reasons.push('no prompt was scored by a pairing rubric on both answers: no combined score to compare');
  } else if (c.ci[0] > 0) {
    reasons.push(
      `combined score improved: ${plain(c.baseline)} → ${plain(c.candidate)}, ${num(c.delta)} 95% CI ${interval(c.ci)} (n=${c.n})`,
    );
  } else {
    ship = false;
    reasons.push(
      `combined score did not clearly improve: ${num(c.delta)} 95% CI ${interval(c.ci)} (n=${c.n}); its lower bound must be above 0`,
    );
  }
  const p = input.preference;
  if (p === null || !Number.isFinite(p.accuracy)) {
    ship = false;
    reasons.push(
      'held-out preference accuracy not measured (the endpoints give no prompt log-probabilities and no --judge-url/--judge-model was named, or the hold-out has no pairs)',
    );
  } else if (p.accuracy > input.preferenceFloor) {
    // Strictly above: the default floor is chance, and a candidate at chance has learnt no held-out preference.
    reasons.push(`${describePreference(p)} clears the floor ${input.preferenceFloor}`);
  } else {
    ship = false;
    reasons.push(
      `${describePreference(p)} does not clear the floor ${input.preferenceFloor} (it must be above it)`,
    );
  }
  for (const r of input.rubrics.filter((x) => !x.critical && regressed(x)))
    reasons.push(`note: non-critical rubric ${describe(r)} regressed`);
  for (const id of input.unmeasuredCritical ?? [])
    reasons.push(
      `note: critical rubric ${id} scored no prompt on both answers, so the gate could not check it`,
    );
  return { verdict: ship ? 'ship' : 'hold', reasons };
}

export function describePreference(p: PreferenceAccuracy): string {
  return p.method === 'implicit_reward'
    ? `DPO implicit-reward accuracy ${p.accuracy.toFixed(3)} (${p.correct} of ${p.n} hold-out pairs ordered right, baseline as reference` +
        `${p.unmeasured ? `; ${p.unmeasured} pairs left out, an endpoint gave no log-probability for them` : ''})`
    : `judge win rate ${p.accuracy.toFixed(3)} (${p.correct} won, ${p.ties} tied of ${p.n} prompts, both orders` +
        `${p.unreadable ? `; ${p.unreadable} judge answers named no winner and counted as ties` : ''})`;
}
