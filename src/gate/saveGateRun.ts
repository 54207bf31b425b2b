// Stores a gate run: its answers as scored LLM spans in otel_traces (queryable like production spans) and
// one gate_runs row with what it compared, the verdict and the whole report.
import { GATE, TABLES } from '../names.js';
import type { Store } from '../sink/Store.js';
import type { ScoredAnswer } from './gateSpans.js';
import { judgesOf } from './GateReport.js';
import type { GateReport } from './GateReport.js';

/** Rows per otel_traces insert. */
const CHUNK = 5000;

function ms(iso: string): string {
  // DateTime64(3) takes an integer string as milliseconds.
  return String(new Date(iso).getTime());
}

export async function saveGateRun(
  store: Store,
  report: GateReport,
  answers: readonly ScoredAnswer[],
): Promise<void> {
  for (let i = 0; i < answers.length; i += CHUNK)
    await store.insert(
      TABLES.traces,
      answers.slice(i, i + CHUNK).map((a) => a.row),
    );
  await store.insert(GATE.runsTable, [
    {
      RunId: report.run_id,
      Mode: report.mode,
      StartedAt: ms(report.started_at),
      FinishedAt: ms(report.finished_at),
      Verdict: report.verdict,
      RubricFile: report.rubric_file.path,
      RubricFileHash: report.rubric_file.version,
      HoldoutPath: report.holdout?.path ?? '',
      HoldoutHash: report.holdout?.hash ?? '',
      ManifestPath: report.holdout?.manifest?.path ?? '',
      ManifestHash: report.holdout?.manifest?.hash ?? '',
      HoldoutRubricVersions: report.holdout?.manifest?.rubric_versions ?? [],
      BaselineUrl: report.baseline.url,
      BaselineModel: report.baseline.model,
      CandidateUrl: report.candidate.url,
      CandidateModel: report.candidate.model,
      // Every judge whose verdicts this run rests on: the gate's pairwise judge (when it measured preference
      // accuracy) and the rubric file's judges. The column predates the list; one string keeps it.
      JudgeVersion: judgesOf(report).join(', '),
      Report: JSON.stringify(report),
    },
  ]);
}
