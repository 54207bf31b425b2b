// The seed's "when does eval-to-tuning make sense" framework as rules on measured numbers. Pure.
//
// Each signal is yes, maybe or no; the verdict is the weakest of them (any no → no; else any maybe → maybe).
//   volume       LLM conversations in the last 30 days: ≥ 100,000 yes (the seed's line; --volume), ≥ a tenth maybe, less no
//                (too little traffic to mine preferences from: improve prompts and retrieval first).
//   stability    most versions of one rubric (or of the rubric file) seen in 90 days: ≤ 2 yes, ≤ 4 maybe,
//                more no (the definition of "good" still moves: pairs from one version contradict the next);
//                no rubric results at all: no.
//   calibration  the current combined rubric score's agreement with people (rubric_agreement_current) and each
//                judge version's calibration: combined 'agrees' and no judge under its floor yes; measured but
//                'below_floor' (or a judge under its floor) no; never measured ('unknown' or none) maybe.
//   density      preference pairs in the store: ≥ 1,000 yes (--pairs), ≥ a tenth maybe, fewer no; reported with pairs per
//                prompt class and the share of classes whose answers differ by more than the noise floor.
//   labels       Fleiss' kappa over pairs two or more people labelled: ≥ 0.7 yes (the train band), ≥ 0.5
//                maybe, less no; no labels yet maybe (collect some: `prefloop review sample`).

export type Level = 'yes' | 'maybe' | 'no';

export interface ReadinessFacts {
  conversations30d: number;
  /** Most versions of any one rubric seen in 90 days (0: no results). */
  maxRubricVersions90d: number;
  rubricFileVersions90d: number;
  /** The current combined score's status, or null when never measured. */
  combined: { status: string; agreement: number | null; humanPairs: number } | null;
  /** Per pairing rubric: status. */
  rubricStatuses: { rubric: string; status: string; agreement: number | null }[];
  /** Judge calibrations (null: the table does not exist). */
  judges: { version: string; status: string; kappa: number | null }[] | null;
  pairs: number;
  classesWithPairs: number;
  medianPairsPerClass: number;
  /** Classes with ≥ 2 scored answers, and those whose answers differ by more than the noise floor. */
  scoredClasses: number;
  separatedClasses: number;
  /** Fleiss' kappa over multiply-labelled pairs; null: no labels (or no review tables). */
  labelKappa: number | null;
  labelledPairs: number;
}

export interface ReadinessSignal {
  name: 'volume' | 'stability' | 'calibration' | 'density' | 'labels';
  level: Level;
  value: number | null;
  reason: string;
}

export interface Readiness {
  verdict: Level;
  signals: ReadinessSignal[];
  next_step: string;
}

export const NEXT_STEPS: Record<Level, string> = {
  no: 'Not yet: prompt optimisation and retrieval first (cheaper, and they need no preference data); keep collecting traces and feedback, and settle the rubric file.',
  maybe:
    'Warm start: generate judged synthetic pairs for your curated prompts (`prefloop synth`), collect human labels (`prefloop review sample`, then `prefloop agreement`), and calibrate the judge (`prefloop calibrate`).',
  yes: 'Export and tune: `prefloop export --format dpo --out DIR` (train.jsonl and holdout.jsonl), train, then gate the tuned model with `prefloop gate --holdout DIR/holdout.jsonl …`.',
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The lines `yes` needs (a tenth of each is enough for `maybe`); the seed's are the defaults. */
export interface ReadinessLines {
  /** LLM conversations a month (the seed's line: 100,000). */
  conversations: number;
  /** Preference pairs in the store (1,000). */
  pairs: number;
}

export const DEFAULT_LINES: ReadinessLines = { conversations: 100_000, pairs: 1000 };

export function decideReadiness(f: ReadinessFacts, lines: ReadinessLines = DEFAULT_LINES): Readiness {
  const signals: ReadinessSignal[] = [];
  const v = f.conversations30d;
  signals.push({
    name: 'volume',
    level: v >= lines.conversations ? 'yes' : v >= lines.conversations / 10 ? 'maybe' : 'no',
    value: v,
    reason: `${fmt(v)} LLM conversations in the last 30 days (the line is ${fmt(lines.conversations)} a month; ${fmt(lines.conversations / 10)} for a warm start)`,
  });
  const versions = Math.max(f.maxRubricVersions90d, f.rubricFileVersions90d);
  signals.push({
    name: 'stability',
    level: f.maxRubricVersions90d === 0 ? 'no' : versions <= 2 ? 'yes' : versions <= 4 ? 'maybe' : 'no',
    value: versions,
    reason:
      f.maxRubricVersions90d === 0
        ? 'no rubric results in the last 90 days: nothing scores the traffic yet'
        : `${f.rubricFileVersions90d} rubric file version(s), at most ${f.maxRubricVersions90d} version(s) of one rubric in the last 90 days (2 or fewer is stable)`,
  });
  signals.push(calibration(f));
  const p = f.pairs;
  signals.push({
    name: 'density',
    level: p >= lines.pairs ? 'yes' : p >= lines.pairs / 10 ? 'maybe' : 'no',
    value: p,
    reason:
      `${fmt(p)} preference pairs over ${f.classesWithPairs} prompt class(es) (median ${f.medianPairsPerClass} per class); ` +
      `${f.scoredClasses === 0 ? 'no class has two scored answers' : `${((f.separatedClasses / f.scoredClasses) * 100).toFixed(0)}% of ${f.scoredClasses} scored classes have answers further apart than the noise floor`} (${fmt(lines.pairs)} pairs or more is enough to tune on)`,
  });
  const k = f.labelKappa;
  signals.push({
    name: 'labels',
    level: k === null ? 'maybe' : k >= 0.7 ? 'yes' : k >= 0.5 ? 'maybe' : 'no',
    value: k,
    reason:
      k === null
        ? 'no labels yet: no pair has been labelled by two or more people'
        : `Fleiss' kappa ${k.toFixed(2)} over ${f.labelledPairs} pairs labelled by two or more people (0.7 and above trains; below 0.5 is noise)`,
  });
  const verdict: Level = signals.some((s) => s.level === 'no')
    ? 'no'
    : signals.some((s) => s.level === 'maybe')
      ? 'maybe'
      : 'yes';
  return { verdict, signals, next_step: NEXT_STEPS[verdict] };
}

function calibration(f: ReadinessFacts): ReadinessSignal {
  const judgesUnder = (f.judges ?? []).filter((j) => j.status === 'under_floor');
  const judgeText =
    f.judges === null
      ? 'no judge calibrations table'
      : f.judges.length === 0
        ? 'no judge calibrated yet'
        : f.judges
            .map(
              (j) =>
                `judge ${j.version} ${j.status}${j.kappa === null ? '' : ` (kappa ${j.kappa.toFixed(2)})`}`,
            )
            .join(', ');
  const rubricText = f.rubricStatuses.map((r) => `${r.rubric} ${r.status}`).join(', ');
  const c = f.combined;
  const combinedText =
    c === null
      ? 'the combined rubric score has never been measured against people'
      : `the combined rubric score ${c.status}${c.agreement === null ? '' : ` with people (agreement ${c.agreement.toFixed(2)} on ${c.humanPairs} human pairs)`}`;
  const level: Level =
    (c !== null && c.status === 'below_floor') || judgesUnder.length > 0
      ? 'no'
      : c !== null && c.status === 'agrees'
        ? 'yes'
        : 'maybe';
  return {
    name: 'calibration',
    level,
    value: c?.agreement ?? null,
    reason: `${combinedText}${rubricText ? `; rubrics: ${rubricText}` : ''}; ${judgeText}`,
  };
}

/** Fleiss' kappa for items with possibly different numbers of ratings (each at least 2) over categories. */
export function fleissKappa(items: readonly (readonly number[])[]): number | null {
  const rated = items.filter((counts) => counts.reduce((a, b) => a + b, 0) >= 2);
  if (rated.length === 0) return null;
  const categories = rated[0]!.length;
  const totals = new Array<number>(categories).fill(0);
  let ratings = 0;
  let agreement = 0;
  for (const counts of rated) {
    const n = counts.reduce((a, b) => a + b, 0);
    let same = 0;
    counts.forEach((c, j) => {
      same += c * (c - 1);
      totals[j]! += c;
    });
    agreement += same / (n * (n - 1));
    ratings += n;
  }
  const observed = agreement / rated.length;
  const expected = totals.reduce((s, t) => s + (t / ratings) ** 2, 0);
  if (expected === 1) return observed === 1 ? 1 : null;
  return (observed - expected) / (1 - expected);
}
