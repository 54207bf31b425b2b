// The `reward` export format: one scored LLM span → `{prompt, completion, reward, scores}`. Pure.
import { parseMessages, renderPrompt } from './transcript.js';

/** An export_reward.sql row. */
export interface RewardRow {
  span_id: string;
  prompt_hash: string;
  prompt_class: string;
  prompt: string;
  completion: string;
  /** The combined reward (0 when no weighted rubric applied: the LEFT JOIN's default). */
  reward: number | null;
  /** The rubrics the reward combined (span_rubric_scores.Applied); empty when none did. */
  reward_rubrics: string[];
  /** JSON object: rubric id → latest score. */
  scores: string;
  /** `rubric@version` of each score. */
  rubric_versions: string[];
  created_ms: number | string;
}

/** One reward record; the prompt as plain text (as `dpo` and `kto` write it), the scores as an object. */
export function formatReward(row: RewardRow): Record<string, unknown> {
  let scores: unknown;
  try {
    scores = JSON.parse(row.scores);
  } catch (err) {
    throw new Error(`scores of span ${row.span_id} are not JSON: ${(err as Error).message}`, { cause: err });
  }
  return {
    prompt: renderPrompt(parseMessages(row.prompt, `span ${row.span_id}`)),
    completion: row.completion,
    reward: Number(row.reward ?? 0),
    scores,
    reward_rubrics: row.reward_rubrics,
    span_id: row.span_id,
    prompt_class: row.prompt_class,
    prompt_hash: row.prompt_hash,
    rubric_versions: row.rubric_versions,
    created: new Date(Number(row.created_ms)).toISOString(),
  };
}
