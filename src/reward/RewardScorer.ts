// The rubric file as a reward function: scores completions exactly as the pipeline scores a span, and combines
// the results the way Path A does (span_rubric_scores.sql), so training rewards and production scores agree.
import { appliesTo } from '../score/appliesTo.js';
import { LlmJudge, type LlmJudgeOptions } from '../score/judge/LlmJudge.js';
import { passes, type Rubric, type RubricSet } from '../score/RubricFile.js';
import { Scorer } from '../score/Scorer.js';
import { syntheticRecord } from '../score/syntheticRecord.js';
import type { SpanRecord } from '../records/types.js';
import type { ScoreItem } from './scoreRequest.js';

/** One rubric's verdict on one completion. */
export interface RubricResult {
  rubric: string;
  score: number;
  label: string;
  pass: boolean;
}

export interface RewardAnswer {
  /** The combined reward of each item, in request order. */
  rewards: number[];
  /** Each item's rubric results (only rubrics that applied), in rubric-file order. */
  results: RubricResult[][];
  /** The rubric file's hash: the rubric-set version the results carry in the store too. */
  rubric_version: string;
}

/** A judge rubric that was asked for and could not give a score: the request fails as a whole. */
export class JudgeUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JudgeUnavailableError';
  }
}

/**
 * The combined reward of one completion: the weighted mean of the results of the rubrics that applied and feed
 * pairs (`pairs: {weight}`; `pairs: false` rubrics are reported but not combined), each signed so that higher is
 * better (a lower-is-better score counts negatively, as in span_rubric_scores). 0 when no such rubric applied.
 */
export function combineReward(
  results: readonly RubricResult[],
  rubrics: ReadonlyMap<string, Pick<Rubric, 'higherIsBetter' | 'pairs'>>,
): number {
  let sum = 0;
  let weights = 0;
  for (const r of results) {
    const rubric = rubrics.get(r.rubric);
    const weight = rubric?.pairs?.weight ?? 0;
    if (weight <= 0) continue;
    sum += weight * (rubric!.higherIsBetter ? r.score : -r.score);
    weights += weight;
  }
  return weights === 0 ? 0 : sum / weights;
}

/** The span record the pipeline would build for this prompt and completion (an LLM span). */
export function itemRecord(item: ScoreItem): SpanRecord {
  const record = syntheticRecord({
    prompt: item.prompt,
    response: item.completion,
    documents: item.context.map((content) => ({ content })),
    model: item.model,
    serviceName: item.service,
  });
  // The item's attributes under the span kind syntheticRecord sets: an item cannot make itself a non-LLM span.
  record.span.attributes = { ...item.attributes, ...record.span.attributes };
  return record;
}

export class RewardScorer {
  private readonly scorer: Scorer;
  private readonly rubrics: Map<string, Rubric>;
  private readonly judgeRubrics: Rubric[];
  private judges: LlmJudge[] | undefined;

  constructor(
    readonly set: RubricSet,
    private readonly judgeOptions: LlmJudgeOptions = {},
  ) {
    // No metrics: these results are rewards for a trainer, not evaluations written to the store.
    this.scorer = new Scorer(set, { skipJudges: true });
    this.rubrics = new Map(set.rubrics.map((r) => [r.id, r]));
    this.judgeRubrics = set.rubrics.filter((r) => r.annotatorKind === 'LLM');
  }

  /** Whether the rubric file has judge rubrics at all. */
  get hasJudges(): boolean {
    return this.judgeRubrics.length > 0;
  }

  /** Deterministic rubrics only: synchronous, no I/O. */
  score(items: readonly ScoreItem[]): RewardAnswer {
    const results = items.map((item) => this.deterministic(itemRecord(item)));
    return this.answer(results);
  }

  /**
   * Deterministic rubrics and every judge rubric that applies (all items, no sampling, waiting for each
   * verdict). Any judge failure fails the whole batch (JudgeUnavailableError): nothing is half-scored.
   */
  async scoreWithJudges(items: readonly ScoreItem[]): Promise<RewardAnswer> {
    const judges = this.judgeList();
    const records = items.map(itemRecord);
    const results = records.map((r) => this.deterministic(r));
    const judged = await Promise.all(
      records.map((record) =>
        Promise.all(
          judges
            .filter((j) => appliesTo(j.rubric.appliesTo, record) && record.response.trim() !== '')
            .map(async (j): Promise<RubricResult> => {
              try {
                const r = await j.grade(record.prompt, record.response);
                return {
                  rubric: j.rubric.id,
                  score: r.score,
                  label: r.label,
                  pass: passes(j.rubric, r.score),
                };
              } catch (err) {
                throw new JudgeUnavailableError(
                  `judge rubric ${j.rubric.id} gave no score: ${(err as Error).message}`,
                  { cause: err },
                );
              }
            }),
        ),
      ),
    );
    const order = new Map(this.set.rubrics.map((r, i) => [r.id, i]));
    const merged = results.map((r, i) =>
      [...r, ...judged[i]!].sort((a, b) => order.get(a.rubric)! - order.get(b.rubric)!),
    );
    return this.answer(merged);
  }

  private deterministic(record: SpanRecord): RubricResult[] {
    return this.scorer.scoreSync(record).map((e) => {
      const rubric = this.rubrics.get(e.rubricId)!;
      return { rubric: e.rubricId, score: e.score, label: e.label, pass: passes(rubric, e.score) };
    });
  }

  private answer(results: RubricResult[][]): RewardAnswer {
    return {
      rewards: results.map((r) => combineReward(r, this.rubrics)),
      results,
      rubric_version: this.set.hash,
    };
  }

  /** Judges are built on first use: a missing API key fails a request that asked for judges, not serve. */
  private judgeList(): LlmJudge[] {
    if (!this.judges) {
      try {
        this.judges = this.judgeRubrics.map((r) => new LlmJudge(r, this.judgeOptions));
      } catch (err) {
        throw new JudgeUnavailableError((err as Error).message, { cause: err });
      }
    }
    return this.judges;
  }
}
