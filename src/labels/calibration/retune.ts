// `prefloop calibrate --retune RUBRIC_ID`: the threshold and noise floor under which the judge's pointwise
// scores agree best with people on a training share, checked on a pinned hold-out (by pair id hash); a
// new rubric file beside the old one only when the proposal does at least as well there. Never in place.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseRubricFile, type Rubric } from '../../score/RubricFile.js';
import { LlmJudge } from '../../score/judge/LlmJudge.js';
import type { Store } from '../../sink/Store.js';
import { cohenKappa } from '../stats/cohen.js';
import { humanItems, judgeItems } from './judgeCalibration.js';
import {
  humanMajority,
  pointwiseVerdict,
  VERDICTS,
  type JudgedItem,
  type PointwiseRule,
} from './judgeMetrics.js';
import { nextVersionPath, retuneText } from './retuneRubricText.js';
import { hashShare } from './spotCheck.js';
import { num } from './formatAgreement.js';

export interface RetuneOptions {
  /** Share of labelled pairs pinned as the hold-out (default 0.3). */
  holdoutShare?: number;
  limit?: number;
  env?: Readonly<Record<string, string | undefined>>;
  onProgress?: (done: number, total: number) => void;
}

export interface RuleScore {
  threshold: number;
  noise_floor: number;
  agreement: number;
  kappa: number;
}

export interface RetuneResult {
  rubric_id: string;
  train_items: number;
  holdout_items: number;
  current: { train: RuleScore; holdout: RuleScore };
  proposed: { train: RuleScore; holdout: RuleScore };
  /** The new file, or null when nothing was written (and why). */
  written: string | null;
  reason: string;
}

/** Whether a pair is in the pinned hold-out: a hash of its id, so the split never moves. */
export function inHoldout(pairId: string, share: number): boolean {
  return hashShare(`holdout:${pairId}`) < share;
}

/** Kappa and agreement of a pointwise rule against the human majority. */
export function scoreRule(items: readonly JudgedItem[], rule: PointwiseRule): RuleScore {
  const scored = items.filter((i) => i.scores);
  const judge = scored.map((i) => pointwiseVerdict(i.scores!, rule));
  const people = scored.map((i) => humanMajority(i.humans.values()));
  const agree = judge.filter((v, k) => v === people[k]).length;
  return {
    threshold: rule.threshold,
    noise_floor: rule.noiseFloor,
    agreement: scored.length ? agree / scored.length : Number.NaN,
    kappa: scored.length ? cohenKappa(judge, people, { categories: VERDICTS }) : Number.NaN,
  };
}

const THRESHOLDS = Array.from({ length: 19 }, (_, i) => Math.round((i + 1) * 5) / 100);
const FLOORS = [0, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3];

/** The grid point with the best training kappa (ties: the agreement, then the one nearest the current rule). */
export function bestRule(items: readonly JudgedItem[], current: PointwiseRule): RuleScore {
  let best: RuleScore | undefined;
  const distance = (r: RuleScore) =>
    Math.abs(r.threshold - current.threshold) + Math.abs(r.noise_floor - current.noiseFloor);
  for (const threshold of THRESHOLDS) {
    for (const noiseFloor of FLOORS) {
      const s = scoreRule(items, { ...current, threshold, noiseFloor });
      const k = Number.isNaN(s.kappa) ? -Infinity : s.kappa;
      const bk = best ? (Number.isNaN(best.kappa) ? -Infinity : best.kappa) : -Infinity;
      if (
        !best ||
        k > bk ||
        (k === bk &&
          (s.agreement > best.agreement || (s.agreement === best.agreement && distance(s) < distance(best))))
      ) {
        best = s;
      }
    }
  }
  return best!;
}

export async function retuneRubric(
  store: Store,
  path: string,
  rubric: Rubric,
  options: RetuneOptions = {},
): Promise<RetuneResult> {
  const share = options.holdoutShare ?? 0.3;
  const items = await humanItems(store, options.limit ?? 500);
  const judge = new LlmJudge(rubric, options.env ? { env: options.env } : {});
  const { judged } = await judgeItems(judge, items, {
    pairwise: false,
    pointwise: true,
    onProgress: options.onProgress,
  });
  const train = judged.filter((i) => !inHoldout(i.pairId, share));
  const holdout = judged.filter((i) => inHoldout(i.pairId, share));
  const current: PointwiseRule = {
    threshold: rubric.threshold,
    noiseFloor: rubric.noiseFloor,
    higherIsBetter: rubric.higherIsBetter,
  };
  const best = bestRule(train, current);
  const proposedRule: PointwiseRule = { ...current, threshold: best.threshold, noiseFloor: best.noise_floor };
  const result: RetuneResult = {
    rubric_id: rubric.id,
    train_items: train.length,
    holdout_items: holdout.length,
    current: { train: scoreRule(train, current), holdout: scoreRule(holdout, current) },
    proposed: { train: best, holdout: scoreRule(holdout, proposedRule) },
    written: null,
    reason: '',
  };
  const decision = retuneDecision(result);
  result.reason = decision.reason;
  if (decision.write) {
    const text = retuneText(readFileSync(path, 'utf8'), rubric.id, {
      threshold: best.threshold,
      noiseFloor: best.noise_floor,
      versionSuffix: '-retuned',
    });
    const target = nextVersionPath(path, existsSync);
    const check = parseRubricFile(text, basename(target)).rubrics.find((r) => r.id === rubric.id);
    if (!check || check.threshold !== best.threshold || check.noiseFloor !== best.noise_floor) {
      throw new Error(
        `retune: the rewritten rubric file did not read back with the new values; nothing written`,
      );
    }
    writeFileSync(target, text, { flag: 'wx' });
    result.written = target;
  }
  return result;
}

/**
 * Whether the proposal may be written, and why: only with both shares non-empty, a rule that differs from
 * the current one, and a hold-out kappa at least the current rule's (a current kappa that is undefined on
 * the hold-out cannot be beaten or matched, so any defined proposal is at least as good).
 */
export function retuneDecision(
  r: Pick<RetuneResult, 'train_items' | 'holdout_items' | 'current' | 'proposed'>,
): { write: boolean; reason: string } {
  const ph = r.proposed.holdout.kappa;
  const ch = r.current.holdout.kappa;
  const same =
    r.proposed.train.threshold === r.current.train.threshold &&
    r.proposed.train.noise_floor === r.current.train.noise_floor;
  if (r.train_items === 0 || r.holdout_items === 0)
    return {
      write: false,
      reason: `too few labelled pairs to split (${r.train_items} training, ${r.holdout_items} hold-out); nothing written`,
    };
  if (same)
    return {
      write: false,
      reason: 'the current threshold and noise floor already agree best with people; nothing written',
    };
  if (Number.isNaN(ph) || (!Number.isNaN(ch) && ph < ch))
    return {
      write: false,
      reason: `the proposal does worse on the hold-out (kappa ${num(ph)} < ${num(ch)}); nothing written`,
    };
  return {
    write: true,
    reason: `the proposal does at least as well on the hold-out (kappa ${num(ph)} vs ${num(ch)}); written beside the old file`,
  };
}

export function formatRetune(r: RetuneResult): string {
  const row = (name: string, s: RuleScore) =>
    `  ${name.padEnd(22)} threshold ${String(s.threshold).padEnd(5)} noise_floor ${String(s.noise_floor).padEnd(6)} kappa ${num(s.kappa)}  agreement ${Number.isFinite(s.agreement) ? (s.agreement * 100).toFixed(1) + '%' : '-'}`;
  return (
    [
      `retune ${r.rubric_id}: ${r.train_items} training pairs, ${r.holdout_items} pinned hold-out pairs (pointwise verdicts vs the human majority)`,
      row('current, training', r.current.train),
      row('proposed, training', r.proposed.train),
      row('current, hold-out', r.current.holdout),
      row('proposed, hold-out', r.proposed.holdout),
      r.written ? `wrote ${r.written} (the old file is unchanged): ${r.reason}` : r.reason,
    ].join('\n') + '\n'
  );
}
