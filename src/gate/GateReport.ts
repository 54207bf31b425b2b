// The gate report's JSON shape: what `--format json`, report.json and gate_runs.Report hold.
import type { RubricComparison } from './compare.js';
import type { PreferenceAccuracy } from './stats/preference.js';
import type { Verdict } from './verdict.js';

/** Every judge behind the run's numbers: the gate's pairwise judge (when it measured) and the rubric file's. */
export function judgesOf(r: Pick<GateReport, 'judge' | 'rubric_judges'>): string[] {
  return [r.judge?.version ?? '', ...r.rubric_judges].filter((v) => v !== '');
}

export interface GateReport {
  run_id: string;
  mode: 'offline' | 'online';
  started_at: string;
  finished_at: string;
  verdict: Verdict;
  exit_code: number;
  reasons: string[];
  warnings: string[];
  rubric_file: { path: string; version: string };
  /** `id@version` of every rubric the gate scored with. */
  rubric_versions_used: string[];
  holdout: {
    path: string;
    hash: string;
    format: string;
    records: number;
    prompts: number;
    pairs: number;
    manifest: { path: string; hash: string; rubric_versions: string[] } | null;
  } | null;
  /** Online: the window compared. */
  window?: { since: string; until: string };
  baseline: { url: string; model: string };
  candidate: { url: string; model: string };
  judge: { url: string; model: string; version: string } | null;
  /** The rubric file's llm_judge rubrics as judge_calibrations names them (`<id>@<version>/<model>`). */
  rubric_judges: string[];
  seed: number;
  rubrics: RubricComparison[];
  combined: RubricComparison;
  /** Online: the same comparison per prompt class. */
  classes?: { prompt_class: string; rubrics: RubricComparison[]; combined: RubricComparison }[];
  preference_accuracy: (PreferenceAccuracy & { floor: number }) | null;
  requests?: { baseline: number; candidate: number; cache_hits: number };
  spans?: { service: string; stored: number };
}
