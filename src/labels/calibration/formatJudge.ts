// Plain-text output of `prefloop calibrate --judge` and `--check`.
import { num } from './formatAgreement.js';
import type { DriftState } from './driftCheck.js';
import type { JudgeCalibrationRow } from './judgeCalibration.js';

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '-');

export function formatJudgeCalibration(r: JudgeCalibrationRow): string {
  const verdict =
    r.status === 'calibrated'
      ? `calibrated: kappa ${num(r.kappa)} >= floor ${r.floor}; its pairs feed the default export`
      : r.status === 'under_floor'
        ? `UNDER THE FLOOR: kappa ${num(r.kappa)} < ${r.floor}; its pairs stay out of the default export`
        : `uncalibrated: ${r.items} labelled pairs judged, too few to decide; its pairs stay out of the default export`;
  return (
    [
      `judge ${r.judge_version} against ${r.items} human-labelled pairs${r.failed ? ` (${r.failed} without a readable verdict, left out)` : ''}`,
      `  pairwise (both orders)  agreement ${pct(r.agreement)}  kappa ${num(r.kappa)} [${num(r.ci_low)}, ${num(r.ci_high)}]`,
      `  human–human baseline    kappa ${num(r.human_baseline_kappa)} (mean over annotator pairs, same items)`,
      `  order-swap consistency  ${pct(r.swap_consistency)}`,
      `  position bias           ${Number.isFinite(r.position_bias) ? `${r.position_bias >= 0 ? '+' : ''}${(r.position_bias * 100).toFixed(1)} points toward the ${r.position_bias >= 0 ? 'first' : 'second'} answer` : '-'}`,
      `  ties                    ${pct(r.ties)}`,
      `  pointwise (threshold)   ${r.pointwise_items ? `agreement ${pct(r.pointwise_agreement)}  kappa ${num(r.pointwise_kappa)}  on ${r.pointwise_items}` : '-'}`,
      verdict,
    ].join('\n') + '\n'
  );
}

export function formatDriftStates(states: readonly DriftState[]): string {
  if (states.length === 0)
    return 'no judge drift measured yet (serve with judge_drift.enabled runs the spot checks)\n';
  return (
    states
      .map(
        (s) =>
          `${s.alarm ? 'ALARM' : 'ok   '}  ${s.rubric_id.padEnd(20)} judge ${pct(s.judge_agreement ?? Number.NaN)} vs people ${pct(s.baseline_agreement ?? Number.NaN)}` +
          `  (margin ${s.margin}, ${s.window_items} items, ${s.judge_version}, ${s.measured_at})`,
      )
      .join('\n') + '\n'
  );
}
