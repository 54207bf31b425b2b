// Measures how often each rubric prefers what people preferred, on HH-RLHF style pairs, against simple floors.
import type { LlmJudgeOptions } from '../judge/LlmJudge.js';
import { LlmJudge } from '../judge/LlmJudge.js';
import type { RubricSet } from '../RubricFile.js';
import { Scorer } from '../Scorer.js';
import { syntheticRecord } from '../syntheticRecord.js';
import { readHhPairs, type PreferencePair } from './hhPairs.js';
import { outcomeOf, Tally, type CalibrationRow } from './Tally.js';

/** Floors from the HH-RLHF data README: a rubric must beat these before it is trusted as a preference signal. */
export const README_FLOORS = {
  shorterWins: { agreement: 0.553 },
  refusalRegex: { agreement: 0.629, separableShare: 0.27 },
} as const;

export interface CalibrateOptions {
  /** Use only the first N pairs (default all). */
  limit?: number;
  /** Pairs sent to each pairwise judge (two calls per pair); default 100; 0 skips judges. */
  judgeLimit?: number;
  /** Environment for the judges' API key lookup. */
  judge?: LlmJudgeOptions;
  /** Called as pairs are scored (for a progress line). */
  onProgress?: (done: number, total: number) => void;
}

export interface CalibrationReport {
  file: string;
  rubricSetHash: string;
  /** Non-empty lines in the file. */
  lines: number;
  /** Pairs used (shared prefix, both ending in an assistant reply). */
  pairs: number;
  skipped: Record<string, number>;
  rows: CalibrationRow[];
}

export async function calibrate(
  pairsFile: string,
  set: RubricSet,
  options: CalibrateOptions = {},
): Promise<CalibrationReport> {
  const read = readHhPairs(pairsFile);
  const pairs = options.limit === undefined ? read.pairs : read.pairs.slice(0, options.limit);
  const rows = calibrateDeterministic(pairs, set, options.onProgress);
  const judgeLimit = options.judgeLimit ?? 100;
  if (judgeLimit > 0) {
    for (const rubric of set.rubrics) {
      if (rubric.annotatorKind !== 'LLM') continue;
      const judge = new LlmJudge(rubric, options.judge);
      rows.push(await calibrateJudge(judge, pairs.slice(0, judgeLimit)));
    }
  }
  return {
    file: pairsFile,
    rubricSetHash: set.hash,
    lines: read.lines,
    pairs: pairs.length,
    skipped: read.skipped,
    rows,
  };
}

/** The deterministic rubrics plus the "shorter wins" baseline; pure. */
export function calibrateDeterministic(
  pairs: readonly PreferencePair[],
  set: RubricSet,
  onProgress?: (done: number, total: number) => void,
): CalibrationRow[] {
  const scorer = new Scorer(set, { skipJudges: true });
  const code = set.rubrics.filter((r) => r.annotatorKind === 'CODE');
  const tallies = new Map(code.map((r) => [r.id, new Tally()]));
  const shorter = new Tally();
  // The combined score rubric pairs are made from (as span_rubric_scores builds it): the weighted mean
  // of the scores of the pairing rubrics that applied, signed so higher is better, with their weighted
  // noise floor; two answers are compared only when the same rubrics scored both.
  const pairing = code.filter((r) => r.pairs !== null && r.pairs.weight > 0);
  const combine = (scores: Map<string, number>) => {
    let sum = 0;
    let weights = 0;
    let floor = 0;
    const applied: string[] = [];
    for (const r of pairing) {
      const s = scores.get(r.id);
      if (s === undefined) continue;
      sum += r.pairs!.weight * (r.higherIsBetter ? s : -s);
      floor += r.pairs!.weight * r.noiseFloor;
      weights += r.pairs!.weight;
      applied.push(r.id);
    }
    return weights === 0
      ? undefined
      : { score: sum / weights, floor: floor / weights, applied: applied.join(',') };
  };
  const combined = new Tally();
  pairs.forEach((pair, n) => {
    const chosen = byRubric(
      scorer.scoreSync(syntheticRecord({ prompt: pair.prompt, response: pair.chosen })),
    );
    const rejected = byRubric(
      scorer.scoreSync(syntheticRecord({ prompt: pair.prompt, response: pair.rejected })),
    );
    for (const r of code) {
      const c = chosen.get(r.id);
      const j = rejected.get(r.id);
      tallies
        .get(r.id)!
        .add(c === undefined || j === undefined ? null : outcomeOf(c, j, r.higherIsBetter, r.noiseFloor));
    }
    if (pairing.length > 0) {
      const c = combine(chosen);
      const j = combine(rejected);
      combined.add(
        c === undefined || j === undefined || c.applied !== j.applied
          ? null
          : outcomeOf(c.score, j.score, true, Math.max(c.floor, j.floor)),
      );
    }
    shorter.add(outcomeOf(pair.chosen.length, pair.rejected.length, false, 0));
    if (onProgress && (n + 1) % 250 === 0) onProgress(n + 1, pairs.length);
  });
  return [
    shorter.row('baseline: shorter wins', '-', 'BASELINE'),
    ...code.map((r) => tallies.get(r.id)!.row(r.id, r.version, 'CODE')),
    ...(pairing.length > 0
      ? [
          combined.row(
            'combined',
            pairing.map((r) => `${r.id}@${r.version}*${r.pairs!.weight}`).join(' '),
            'COMBINED',
          ),
        ]
      : []),
  ];
}

/** A pairwise judge on the pairs, both orders per pair; a flipped verdict is a tie. */
export async function calibrateJudge(
  judge: LlmJudge,
  pairs: readonly PreferencePair[],
): Promise<CalibrationRow> {
  const tally = new Tally();
  let flips = 0;
  let errors = 0;
  let firstError = '';
  await Promise.all(
    pairs.map(async (pair) => {
      try {
        const v = await judge.compare(pair.prompt, pair.chosen, pair.rejected);
        if (v.label === 'order_flip') flips++;
        tally.add(v.winner === 'A' ? 'agree' : v.winner === 'B' ? 'disagree' : 'tie');
      } catch (err) {
        errors++;
        firstError ||= (err as Error).message;
        tally.add(null);
      }
    }),
  );
  tally.notes.push(`${flips} order flips`);
  if (errors > 0) tally.notes.push(`${errors} errors (first: ${firstError.slice(0, 120)})`);
  return tally.row(judge.rubric.id, judge.rubric.version, 'LLM');
}

function byRubric(results: readonly { rubricId: string; score: number }[]): Map<string, number> {
  return new Map(results.map((r) => [r.rubricId, r.score]));
}

/** A plain-text table of the report, with the README floors for comparison. */
export function formatCalibrationTable(report: CalibrationReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const header = [
    'rubric',
    'kind',
    'scored',
    'separable',
    'agree (sep.)',
    '95% CI',
    'agree (all)',
    'ties',
    'notes',
  ];
  // A rubric that never applied (nothing scored) or never separated a pair has no agreement: n/a, not 0%.
  const body = report.rows.map((r) => {
    const separated = r.agree + r.disagree > 0;
    return [
      r.rubricId,
      r.kind,
      String(r.scored),
      r.scored > 0 ? pct(r.separableShare) : 'n/a',
      separated ? pct(r.agreementSeparable) : 'n/a',
      separated ? `${pct(r.ci95[0])}–${pct(r.ci95[1])}` : 'n/a',
      r.scored > 0 ? pct(r.agreementOverall) : 'n/a',
      String(r.ties),
      r.notes || (r.scored === 0 ? 'never applied' : ''),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const skipped = Object.entries(report.skipped)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `calibration on ${report.file}: ${report.pairs} pairs of ${report.lines} lines` +
      (skipped ? ` (skipped: ${skipped})` : '') +
      `, rubric set ${report.rubricSetHash}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    `floors (data README): shorter wins ${pct(README_FLOORS.shorterWins.agreement)}; ` +
      `refusal regex ${pct(README_FLOORS.refusalRegex.agreement)} on ${pct(README_FLOORS.refusalRegex.separableShare)} separable.`,
    'agree (sep.) = agreement among pairs the rubric separates (gap above its noise floor); agree (all) counts ties as half.',
    'combined = the weighted score rubric pairs are made from; n/a = never scored, or never separated a pair.',
    '',
  ].join('\n');
}
