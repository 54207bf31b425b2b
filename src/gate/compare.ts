// Per-rubric and combined comparison of two models' scores on the same prompts: means, the paired difference
// with its bootstrap interval, and the pass-rate change with an exact McNemar test. Pure.
import { COMBINED_RUBRIC_ID } from '../names.js';
import type { Rubric, RubricSet } from '../score/RubricFile.js';
import { passes } from '../score/RubricFile.js';
import { mean, pairedBootstrap, unpairedBootstrap } from './stats/bootstrap.js';
import type { BootstrapOptions } from './stats/bootstrap.js';
import { exactMcNemar } from './stats/mcnemar.js';

/** One answer's rubric results: rubric id → score. A rubric that did not apply is absent. */
export type AnswerScores = ReadonlyMap<string, number>;

/** The id under which the combined rubric score is reported (as in rubric_agreement). */
export const COMBINED = COMBINED_RUBRIC_ID;

export interface RubricComparison {
  id: string;
  critical: boolean;
  higher_is_better: boolean;
  /** How far the rubric may fall before it counts as regressed. */
  tolerance: number;
  /** Prompts (offline) or answers of the smaller side (online) behind the numbers. */
  n: number;
  baseline: number;
  candidate: number;
  /** candidate − baseline, in the rubric's own units. */
  delta: number;
  /** 95% bootstrap interval of delta. */
  ci: [number, number];
  /** delta and ci signed so that positive is better (what the verdict and the chart read). */
  improvement: number;
  improvement_ci: [number, number];
  /** Pass rates and the exact McNemar test of the change (offline; online gives rates only). */
  pass_rate?: { baseline: number; candidate: number; lost?: number; gained?: number; p?: number };
}

/** Signs a score so that higher is better. */
function signed(r: Pick<Rubric, 'higherIsBetter'>, x: number): number {
  return r.higherIsBetter ? x : -x;
}

function finish(
  base: Omit<RubricComparison, 'improvement' | 'improvement_ci' | 'delta' | 'ci'>,
  interval: { estimate: number; low: number; high: number },
  higherIsBetter: boolean,
): RubricComparison {
  const ci: [number, number] = [interval.low, interval.high];
  return {
    ...base,
    delta: interval.estimate,
    ci,
    improvement: higherIsBetter ? interval.estimate : -interval.estimate,
    improvement_ci: higherIsBetter ? ci : [-ci[1], -ci[0]],
  };
}

/**
 * Offline: both models answered the same prompts. Each rubric is compared on the prompts where it scored both
 * answers; the combined score (Path A's: weights from the rubric file, signed so higher is better) over the
 * rubrics that applied to both answers, so two answers are never combined on a different basis.
 */
export function comparePaired(
  set: RubricSet,
  baseline: ReadonlyMap<string, AnswerScores>,
  candidate: ReadonlyMap<string, AnswerScores>,
  options: BootstrapOptions,
): { rubrics: RubricComparison[]; combined: RubricComparison } {
  const rubrics: RubricComparison[] = [];
  const keys = [...baseline.keys()].filter((k) => candidate.has(k)).sort();
  set.rubrics.forEach((rubric, i) => {
    const b: number[] = [];
    const c: number[] = [];
    let lost = 0;
    let gained = 0;
    let passB = 0;
    let passC = 0;
    for (const k of keys) {
      const sb = baseline.get(k)!.get(rubric.id);
      const sc = candidate.get(k)!.get(rubric.id);
      if (sb === undefined || sc === undefined) continue;
      b.push(sb);
      c.push(sc);
      const pb = passes(rubric, sb);
      const pc = passes(rubric, sc);
      if (pb) passB++;
      if (pc) passC++;
      if (pb && !pc) lost++;
      if (!pb && pc) gained++;
    }
    if (b.length === 0) return;
    const diffs = c.map((x, j) => x - b[j]!);
    const mc = exactMcNemar(lost, gained);
    rubrics.push(
      finish(
        {
          id: rubric.id,
          critical: rubric.critical,
          higher_is_better: rubric.higherIsBetter,
          tolerance: rubric.gateTolerance,
          n: b.length,
          baseline: mean(b),
          candidate: mean(c),
          pass_rate: { baseline: passB / b.length, candidate: passC / b.length, lost, gained, p: mc.p },
        },
        // Each rubric resamples with its own seed, so adding a rubric does not move the others' intervals.
        pairedBootstrap(diffs, { ...options, seed: options.seed + i + 1 }),
        rubric.higherIsBetter,
      ),
    );
  });
  const cb: number[] = [];
  const cc: number[] = [];
  for (const k of keys) {
    const both = combinedPair(set, baseline.get(k)!, candidate.get(k)!);
    if (both) {
      cb.push(both[0]);
      cc.push(both[1]);
    }
  }
  const combined = finish(
    {
      id: COMBINED,
      critical: false,
      higher_is_better: true,
      tolerance: 0,
      n: cb.length,
      baseline: mean(cb),
      candidate: mean(cc),
    },
    pairedBootstrap(
      cc.map((x, j) => x - cb[j]!),
      options,
    ),
    true,
  );
  return { rubrics, combined };
}

/** The two answers' combined scores over the pairing rubrics that scored both; null when none did. */
function combinedPair(set: RubricSet, b: AnswerScores, c: AnswerScores): [number, number] | null {
  let w = 0;
  let sb = 0;
  let sc = 0;
  for (const r of set.rubrics) {
    if (r.pairs === null || r.pairs.weight <= 0) continue;
    const x = b.get(r.id);
    const y = c.get(r.id);
    if (x === undefined || y === undefined) continue;
    w += r.pairs.weight;
    sb += r.pairs.weight * signed(r, x);
    sc += r.pairs.weight * signed(r, y);
  }
  return w === 0 ? null : [sb / w, sc / w];
}

/** One answer's combined score over the pairing rubrics that scored it (online: no partner answer). */
export function combinedScore(set: RubricSet, s: AnswerScores): number | null {
  let w = 0;
  let sum = 0;
  for (const r of set.rubrics) {
    if (r.pairs === null || r.pairs.weight <= 0) continue;
    const x = s.get(r.id);
    if (x === undefined) continue;
    w += r.pairs.weight;
    sum += r.pairs.weight * signed(r, x);
  }
  return w === 0 ? null : sum / w;
}

/** Online: the two models answered different prompts; each side is resampled on its own. */
export function compareUnpaired(
  set: RubricSet,
  baseline: readonly AnswerScores[],
  candidate: readonly AnswerScores[],
  options: BootstrapOptions,
): { rubrics: RubricComparison[]; combined: RubricComparison } {
  const rubrics: RubricComparison[] = [];
  set.rubrics.forEach((rubric, i) => {
    const b = baseline.flatMap((s) => (s.has(rubric.id) ? [s.get(rubric.id)!] : []));
    const c = candidate.flatMap((s) => (s.has(rubric.id) ? [s.get(rubric.id)!] : []));
    if (b.length === 0 || c.length === 0) return;
    const rate = (xs: number[]) => xs.filter((x) => passes(rubric, x)).length / xs.length;
    rubrics.push(
      finish(
        {
          id: rubric.id,
          critical: rubric.critical,
          higher_is_better: rubric.higherIsBetter,
          tolerance: rubric.gateTolerance,
          n: Math.min(b.length, c.length),
          baseline: mean(b),
          candidate: mean(c),
          pass_rate: { baseline: rate(b), candidate: rate(c) },
        },
        unpairedBootstrap(b, c, { ...options, seed: options.seed + i + 1 }),
        rubric.higherIsBetter,
      ),
    );
  });
  const cb = baseline.flatMap((s) => {
    const x = combinedScore(set, s);
    return x === null ? [] : [x];
  });
  const cc = candidate.flatMap((s) => {
    const x = combinedScore(set, s);
    return x === null ? [] : [x];
  });
  const combined = finish(
    {
      id: COMBINED,
      critical: false,
      higher_is_better: true,
      tolerance: 0,
      n: Math.min(cb.length, cc.length),
      baseline: mean(cb),
      candidate: mean(cc),
    },
    unpairedBootstrap(cb, cc, options),
    true,
  );
  return { rubrics, combined };
}
