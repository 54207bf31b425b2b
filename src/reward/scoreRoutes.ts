// `POST /v1/score`: the rubric file serve scores with, as a reward function for GRPO/PPO trainers. Answers
// from memory (no store writes); judge rubrics only when the request asks, since they are slow and cost money.
import { DEFAULTS, PATHS } from '../names.js';
import type { LlmJudgeOptions } from '../score/judge/LlmJudge.js';
import type { RubricSet } from '../score/RubricFile.js';
import type { ReceiverRoute } from '../receive/OtlpReceiver.js';
import { ApiError, jsonHandler, readJsonBody } from '../receive/jsonApi.js';
import { JudgeUnavailableError, RewardScorer } from './RewardScorer.js';
import { parseScoreRequest, ScoreRequestError } from './scoreRequest.js';

export interface ScoreRouteOptions {
  /** The rubric file to score with: the one serve scores spans with (the first, when it has several). */
  set: RubricSet | undefined;
  /** Largest request body, after decompression (413 past it). */
  maxBodyBytes: number;
  /** Where judge rubrics look up their API key. */
  judge?: LlmJudgeOptions;
  /** Most items in one request (400 past it). Default DEFAULTS.scoreMaxItems. */
  maxItems?: number;
}

/** The reward endpoint's routes, mounted by serve behind its ingest auth. */
export function scoreRoutes(options: ScoreRouteOptions): ReceiverRoute[] {
  const set = options.set;
  if (!set) return [noRubricsRoute()];
  const scorer = new RewardScorer(set, options.judge);
  const maxItems = options.maxItems ?? DEFAULTS.scoreMaxItems;
  return [
    {
      method: 'POST',
      path: PATHS.score,
      handle: jsonHandler(async (req, url) => {
        const judgesParam = url.searchParams.get('judges');
        if (judgesParam !== null && judgesParam !== 'true' && judgesParam !== 'false')
          throw new ApiError(400, `judges must be true or false, got ${JSON.stringify(judgesParam)}`);
        const body = await readJsonBody(req, options.maxBodyBytes);
        let request;
        try {
          request = parseScoreRequest(body, maxItems);
        } catch (err) {
          if (err instanceof ScoreRequestError) throw new ApiError(400, err.message, err.problems);
          throw err;
        }
        if (!(request.judges || judgesParam === 'true')) return scorer.score(request.items);
        if (!scorer.hasJudges)
          throw new ApiError(
            400,
            `judges were asked for, but rubric file ${set.source} has no llm_judge rubric`,
          );
        try {
          return await scorer.scoreWithJudges(request.items);
        } catch (err) {
          if (err instanceof JudgeUnavailableError)
            throw new ApiError(502, `${err.message}; nothing was scored`);
          throw err;
        }
      }),
    },
  ];
}

/** A pipeline without a rubrics processor has nothing to reward with; say so rather than answer 404. */
function noRubricsRoute(): ReceiverRoute {
  return {
    method: 'POST',
    path: PATHS.score,
    handle: jsonHandler(() => {
      throw new ApiError(
        503,
        'serve scores with no rubric file: add the rubrics processor to the traces pipeline (docs/configuration.md)',
      );
    }),
  };
}
