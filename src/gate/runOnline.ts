// `prefloop gate --online` (canary): two models already in production traffic over a window, compared prompt
// class by prompt class and overall with the same statistics (unpaired: each side resampled on its own) and
// the same verdict. Preference accuracy is not measured online (no hold-out pairs): the verdict says so.
import { randomUUID } from 'node:crypto';
import { GATE, SYNTH } from '../names.js';
import type { RubricSet } from '../score/RubricFile.js';
import type { Store } from '../sink/Store.js';
import { compareUnpaired } from './compare.js';
import type { AnswerScores } from './compare.js';
import { gateSql } from './gateSql.js';
import { rubricJudges } from './rubricVersions.js';
import type { GateReport } from './report.js';
import { decide, EXIT_CODES } from './verdict.js';

export interface OnlineOptions {
  set: RubricSet;
  rubricFile: string;
  since: Date;
  until: Date;
  baselineModel: string;
  candidateModel: string;
  seed?: number;
  iterations?: number;
  preferenceFloor?: number;
}

interface ScoreRow {
  model: string;
  prompt_class: string;
  span_id: string;
  rubric: string;
  score: number;
}

/** Smallest class (answers per side) compared on its own; smaller ones count only in the overall comparison. */
const MIN_CLASS_ANSWERS = 5;

export async function runOnline(store: Store, o: OnlineOptions): Promise<GateReport> {
  const startedAt = new Date();
  const used = o.set.rubrics.map((r) => `${r.id}@${r.version}`);
  const rows = await store.query<ScoreRow>(gateSql('online_scores'), {
    since_ms: o.since.getTime(),
    until_ms: o.until.getTime(),
    baseline: o.baselineModel,
    candidate: o.candidateModel,
    gate_service: GATE.serviceName,
    synth_service: SYNTH.serviceName,
    versions: used,
  });
  // span → (model, class, scores)
  const spans = new Map<string, { model: string; cls: string; scores: Map<string, number> }>();
  for (const r of rows) {
    let s = spans.get(r.span_id);
    if (!s) spans.set(r.span_id, (s = { model: r.model, cls: r.prompt_class, scores: new Map() }));
    s.scores.set(r.rubric, Number(r.score));
  }
  const side = (model: string, cls?: string): AnswerScores[] =>
    [...spans.values()]
      .filter((s) => s.model === model && (cls === undefined || s.cls === cls))
      .map((s) => s.scores);
  const baseline = side(o.baselineModel);
  const candidate = side(o.candidateModel);
  const window = `${o.since.toISOString()} to ${o.until.toISOString()}`;
  if (baseline.length === 0 || candidate.length === 0)
    throw new Error(
      `no scored LLM spans of ${baseline.length === 0 ? `baseline model ${JSON.stringify(o.baselineModel)}` : `candidate model ${JSON.stringify(o.candidateModel)}`} from ${window} (llm.model_name must match exactly; rubric results at the current rubric file's versions)`,
    );
  const seed = o.seed ?? GATE.seed;
  const stats = { seed, iterations: o.iterations ?? GATE.bootstrapIterations };
  const overall = compareUnpaired(o.set, baseline, candidate, stats);
  const classNames = [...new Set([...spans.values()].map((s) => s.cls))].sort();
  const classes = classNames.flatMap((cls) => {
    const b = side(o.baselineModel, cls);
    const c = side(o.candidateModel, cls);
    if (b.length < MIN_CLASS_ANSWERS || c.length < MIN_CLASS_ANSWERS) return [];
    return [{ prompt_class: cls, ...compareUnpaired(o.set, b, c, stats) }];
  });
  const floor = o.preferenceFloor ?? GATE.preferenceFloor;
  const decision = decide({ ...overall, preference: null, preferenceFloor: floor });
  // A critical rubric that regressed within one prompt class rolls back too: the average must not hide it.
  const reasons = [...decision.reasons];
  let verdict = decision.verdict;
  for (const c of classes) {
    const d = decide({ ...c, preference: null, preferenceFloor: floor });
    if (d.verdict === 'rollback') {
      verdict = 'rollback';
      reasons.push(
        ...d.reasons
          .filter((x) => x.startsWith('critical'))
          .map((x) => `prompt class ${c.prompt_class}: ${x}`),
      );
    }
  }
  // Online traffic has no hold-out pairs: ship needs no preference accuracy here, only the rubric evidence.
  if (verdict === 'hold' && overall.combined.n > 0 && overall.combined.ci[0] > 0) verdict = 'ship';
  reasons.push(
    'online: preference accuracy is not measured (no hold-out pairs); the verdict rests on the rubric scores',
  );
  return {
    run_id: randomUUID(),
    mode: 'online',
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    verdict,
    exit_code: EXIT_CODES[verdict],
    reasons: reasons.filter((r) => !r.startsWith('held-out preference accuracy not measured')),
    warnings: [],
    rubric_file: { path: o.rubricFile, version: o.set.hash },
    rubric_versions_used: used,
    holdout: null,
    window: { since: o.since.toISOString(), until: o.until.toISOString() },
    baseline: { url: store.location, model: o.baselineModel },
    candidate: { url: store.location, model: o.candidateModel },
    judge: null,
    rubric_judges: rubricJudges(o.set),
    seed,
    rubrics: overall.rubrics,
    combined: overall.combined,
    classes,
    preference_accuracy: null,
  };
}
