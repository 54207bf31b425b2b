// A fix is re-scored by the same rubric file before it can become a pair: the exemplar's prompt with the
// fix as the answer, as a synthetic LLM span, through the Scorer (deterministic rubrics and judges alike).
// It passes when every rubric its exemplar failed passes; with no such rubric (the exemplar failed by a
// thumbs-down or a lost judge verdict only) every rubric that scores it must pass.
import { OI } from '../conventions.js';
import type { EvaluationRecord } from '../records/types.js';
import type { RubricSet } from '../score/RubricFile.js';
import { passes } from '../score/RubricFile.js';
import { Scorer } from '../score/Scorer.js';
import { syntheticRecord } from '../score/syntheticRecord.js';
import type { FixExemplar } from './FixStore.js';

/** One rubric's result for a fix. */
export interface FixScore {
  rubric: string;
  score: number;
  label: string;
  passed: boolean;
  /** Whether the exemplar failed it (the fix had to pass it). */
  required: boolean;
}

/** The rescoring of one fix. */
export interface Rescoring {
  status: 'passed' | 'failed';
  /** The rubrics the fix had to pass. */
  required: string[];
  scores: FixScore[];
  /** Why it failed (empty when it passed). */
  reasons: string[];
}

export interface FixRescorerOptions {
  /** Environment for judge API keys. */
  env?: NodeJS.ProcessEnv;
  /** Build no judges: a required judge rubric then gives no result, and the fix fails. */
  skipJudges?: boolean;
}

export class FixRescorer {
  private readonly scorer: Scorer;

  constructor(
    readonly set: RubricSet,
    options: FixRescorerOptions = {},
  ) {
    this.scorer = new Scorer(set, { skipJudges: options.skipJudges, judge: { env: options.env } });
  }

  /** Scores `fix` as the answer to the exemplar's prompt and says whether it passes. */
  async rescore(exemplar: FixExemplar, fix: string): Promise<Rescoring> {
    const record = syntheticRecord({
      prompt: exemplar.prompt,
      response: fix,
      documents: exemplar.documents,
      traceId: exemplar.traceId,
      spanId: exemplar.spanId,
      model: exemplar.model,
      serviceName: exemplar.service,
    });
    record.span.attributes = { ...exemplar.attributes, [OI.spanKind]: 'LLM' };
    const results: EvaluationRecord[] = this.scorer.scoreSync(record);
    if (this.scorer.hasJudges) {
      const late: EvaluationRecord[] = [];
      const [judged] = await this.scorer.scoreWithJudges([record], (_r, e) => late.push(e));
      // A judge past its span wait cap still answers: wait for it rather than fail the fix.
      await this.scorer.forceFlush();
      results.push(...judged!, ...late);
    }
    return verdict(this.set, exemplar.failedRubrics, results);
  }
}

/** Pure: the fix's results against what it had to pass. */
export function verdict(
  set: RubricSet,
  exemplarFailed: readonly string[],
  results: readonly Pick<EvaluationRecord, 'rubricId' | 'score' | 'label'>[],
): Rescoring {
  const byId = new Map(set.rubrics.map((r) => [r.id, r]));
  const failed = new Set(exemplarFailed);
  const scores: FixScore[] = results.map((e) => ({
    rubric: e.rubricId,
    score: e.score,
    label: e.label,
    passed: passes(byId.get(e.rubricId)!, e.score),
    required: failed.has(e.rubricId),
  }));
  const reasons: string[] = [];
  const required = [...failed].sort();
  for (const id of required) {
    if (!byId.has(id)) {
      reasons.push(
        `${id}: failed by the exemplar but not in the rubric file ${set.source}, so not re-scored`,
      );
      continue;
    }
    const s = scores.find((x) => x.rubric === id);
    if (!s) reasons.push(`${id}: gave no result for the fix`);
    else if (!s.passed) reasons.push(`${id}: scored ${s.score} (${s.label}), below its pass mark`);
  }
  if (required.length === 0) {
    for (const s of scores) if (!s.passed) reasons.push(`${s.rubric}: scored ${s.score} (${s.label})`);
    if (scores.length === 0) reasons.push('no rubric of the file scored the fix');
  }
  return { status: reasons.length === 0 ? 'passed' : 'failed', required, scores, reasons };
}
