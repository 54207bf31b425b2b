// A judge against people, pure: its verdicts on human-labelled pairs → agreement, Cohen's kappa with a
// seeded interval, order-swap consistency, position bias, ties, and the human–human baseline.
import { bootstrapInterval, type BootstrapOptions } from '../stats/bootstrap.js';
import { cohenKappa } from '../stats/cohen.js';

/** A verdict on a pair relative to the pair as it stands: its chosen answer, its rejected one, or neither. */
export type Verdict = 'chosen' | 'rejected' | 'tie';
export const VERDICTS: readonly Verdict[] = ['chosen', 'rejected', 'tie'];

/** Winner of one order, in the caller's A/B (A = the pair's chosen answer); null = unreadable. */
export type OrderWinner = 'A' | 'B' | 'tie' | null;

export interface JudgedItem {
  pairId: string;
  /** Each annotator's current label (chosen/rejected/tie; skips left out), keyed by annotator. */
  humans: ReadonlyMap<string, Verdict>;
  /** Pairwise: the winner asked with chosen first, then with rejected first (both mapped back to A/B). */
  orders?: readonly [OrderWinner, OrderWinner];
  /** Pointwise: the judge's scores of the chosen and the rejected answer, on [0, 1]. */
  scores?: { chosen: number; rejected: number };
}

/** The majority of people: a strict plurality of chosen or rejected, else a tie (no direction). */
export function humanMajority(labels: Iterable<Verdict>): Verdict {
  let c = 0;
  let r = 0;
  let t = 0;
  for (const l of labels) {
    if (l === 'chosen') c++;
    else if (l === 'rejected') r++;
    else t++;
  }
  if (c > r && c > t) return 'chosen';
  if (r > c && r > t) return 'rejected';
  return 'tie';
}

/** Both orders → one verdict: agreeing orders decide; one decided order beside a tie/unreadable decides; a flip is a tie. */
export function pairwiseVerdict(orders: readonly [OrderWinner, OrderWinner]): Verdict {
  const [o1, o2] = orders;
  const decided = [o1, o2].filter((w): w is 'A' | 'B' => w === 'A' || w === 'B');
  if (decided.length === 2 && decided[0] !== decided[1]) return 'tie';
  if (decided.length === 0) return 'tie';
  return decided[0] === 'A' ? 'chosen' : 'rejected';
}

/** Pointwise scores → a verdict with the rubric's threshold (pass/fail) and noise floor (gap). */
export interface PointwiseRule {
  threshold: number;
  noiseFloor: number;
  higherIsBetter: boolean;
}

/**
 * One answer passing and the other failing decides; otherwise a score gap beyond the noise floor does;
 * otherwise it is a tie.
 */
export function pointwiseVerdict(scores: { chosen: number; rejected: number }, rule: PointwiseRule): Verdict {
  const pass = (s: number) => (rule.higherIsBetter ? s >= rule.threshold : s <= rule.threshold);
  const pc = pass(scores.chosen);
  const pr = pass(scores.rejected);
  if (pc && !pr) return 'chosen';
  if (pr && !pc) return 'rejected';
  const gap = (rule.higherIsBetter ? 1 : -1) * (scores.chosen - scores.rejected);
  if (gap > rule.noiseFloor) return 'chosen';
  if (gap < -rule.noiseFloor) return 'rejected';
  return 'tie';
}

/** Share of equal verdicts and Cohen's kappa (with interval) of judge against the human majority. */
export interface VerdictAgreement {
  items: number;
  agreement: number;
  kappa: number;
  ci_low: number;
  ci_high: number;
}

export function verdictAgreement(
  pairs: readonly (readonly [Verdict, Verdict])[],
  options: BootstrapOptions = {},
): VerdictAgreement {
  const stat = (s: readonly (readonly [Verdict, Verdict])[]) =>
    cohenKappa(
      s.map((p) => p[0]),
      s.map((p) => p[1]),
      { categories: VERDICTS },
    );
  const ci = bootstrapInterval(pairs, stat, options);
  const agree = pairs.filter((p) => p[0] === p[1]).length;
  return {
    items: pairs.length,
    agreement: pairs.length ? agree / pairs.length : Number.NaN,
    kappa: stat(pairs),
    ci_low: ci.low,
    ci_high: ci.high,
  };
}

/** Mean Cohen's kappa over annotator pairs that share two or more items (NaN when none do). */
export function humanBaselineKappa(items: readonly Pick<JudgedItem, 'humans'>[]): number {
  const annotators = [...new Set(items.flatMap((i) => [...i.humans.keys()]))].sort();
  const kappas: number[] = [];
  for (let x = 0; x < annotators.length; x++) {
    for (let y = x + 1; y < annotators.length; y++) {
      const a: Verdict[] = [];
      const b: Verdict[] = [];
      for (const item of items) {
        const u = item.humans.get(annotators[x] as string);
        const v = item.humans.get(annotators[y] as string);
        if (u && v) {
          a.push(u);
          b.push(v);
        }
      }
      if (a.length >= 2) kappas.push(cohenKappa(a, b, { categories: VERDICTS }));
    }
  }
  return kappas.length ? kappas.reduce((s, k) => s + k, 0) / kappas.length : Number.NaN;
}

export interface JudgeCalibrationSummary extends VerdictAgreement {
  /** Share of items whose two orders name the same winner (both readable). */
  swap_consistency: number;
  /** Share of decided single-order answers that picked the answer shown first, minus 0.5. */
  position_bias: number;
  /** Share of items the judge called a tie (both orders combined). */
  ties: number;
  pointwise_items: number;
  pointwise_agreement: number;
  pointwise_kappa: number;
  human_baseline_kappa: number;
}

/** The whole calibration of a judge on items people labelled. */
export function summarizeJudge(
  items: readonly JudgedItem[],
  rule: PointwiseRule | undefined,
  options: BootstrapOptions = {},
): JudgeCalibrationSummary {
  const pairwise = items.filter((i) => i.orders);
  const verdicts = pairwise.map(
    (i) => [pairwiseVerdict(i.orders!), humanMajority(i.humans.values())] as const,
  );
  const both = pairwise.filter((i) => i.orders![0] !== null && i.orders![1] !== null);
  let firstWins = 0;
  let decided = 0;
  for (const i of pairwise) {
    const [o1, o2] = i.orders!;
    // Order 1 shows chosen (A) first; order 2 shows rejected (B) first.
    if (o1 === 'A' || o1 === 'B') {
      decided++;
      if (o1 === 'A') firstWins++;
    }
    if (o2 === 'A' || o2 === 'B') {
      decided++;
      if (o2 === 'B') firstWins++;
    }
  }
  const scored = rule ? items.filter((i) => i.scores) : [];
  const point = scored.map(
    (i) => [pointwiseVerdict(i.scores!, rule!), humanMajority(i.humans.values())] as const,
  );
  const pointAgreement = verdictAgreement(point, { ...options, resamples: 1 });
  return {
    ...verdictAgreement(verdicts, options),
    swap_consistency: both.length
      ? both.filter((i) => i.orders![0] === i.orders![1]).length / both.length
      : Number.NaN,
    position_bias: decided ? firstWins / decided - 0.5 : Number.NaN,
    ties: verdicts.length ? verdicts.filter((v) => v[0] === 'tie').length / verdicts.length : Number.NaN,
    pointwise_items: point.length,
    pointwise_agreement: pointAgreement.agreement,
    pointwise_kappa: pointAgreement.kappa,
    human_baseline_kappa: humanBaselineKappa(items),
  };
}

export type CalibrationStatus = 'calibrated' | 'under_floor' | 'uncalibrated';

/** Too few items → uncalibrated; else kappa at or above the floor → calibrated; else under_floor. */
export function calibrationStatus(
  kappa: number,
  items: number,
  floor: number,
  minItems: number,
): CalibrationStatus {
  if (items < minItems || Number.isNaN(kappa)) return 'uncalibrated';
  return kappa >= floor ? 'calibrated' : 'under_floor';
}
