// The HTTP API serve mounts beside OTLP ingest, behind the same auth. One list, so each capability (review
// labels, the reward endpoint, cluster fixes, the web UI) adds its routes here in one line, and its schedules
// (work serve runs in the background) stop with serve.
import type { PrefloopConfig } from '../config/loadConfig.js';
import type { RubricSet } from '../score/RubricFile.js';
import type { Scorer } from '../score/Scorer.js';
import type { Metrics } from '../observe/Metrics.js';
import type { ReceiverRoute } from '../receive/OtlpReceiver.js';
import { clusterRoutes } from '../cluster/clusterRoutes.js';
import { scheduleClustering } from '../cluster/scheduleClustering.js';
import type { Store } from '../sink/Store.js';
import { uiRoutes } from '../ui/uiRoutes.js';
import { scoreRoutes } from '../reward/scoreRoutes.js';
import { reviewRoutes } from '../labels/reviewRoutes.js';
import { scheduleJudgeDriftFromConfig } from '../labels/calibration/scheduleDrift.js';

/** What a route or a schedule of serve may use. */
export interface ApiContext {
  readonly store: Store;
  readonly metrics: Metrics;
  readonly config: PrefloopConfig;
  /** The rubric files serve scores with, as loaded (the first is the one export and the gate use). */
  readonly rubricSets: readonly { readonly set: RubricSet }[];
  readonly scorers: readonly Scorer[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Registers a step run at shutdown (before the sink drains): stop timers, wait for running work. */
  onClose(step: () => Promise<void> | void): void;
}

/** Every API route serve mounts, in the order they are matched. */
export function apiRoutes(ctx: ApiContext): ReceiverRoute[] {
  scheduleClustering(ctx.store, ctx.config.clustering, {
    set: ctx.rubricSets[0]?.set,
    env: ctx.env,
    onClose: (step) => ctx.onClose(step),
  });
  const judges = ctx.rubricSets.flatMap(({ set }) =>
    set.rubrics.filter((r) => r.annotatorKind === 'LLM').map((r) => r.id),
  );
  scheduleJudgeDriftFromConfig(
    ctx.store,
    ctx.metrics,
    ctx.config.judgeDrift,
    (step) => ctx.onClose(step),
    new Set(judges),
  );
  return [
    ...scoreRoutes({
      set: ctx.rubricSets[0]?.set,
      maxBodyBytes: ctx.config.receiver.protocols.http.max_request_body_size,
      judge: { env: ctx.env },
    }),
    ...clusterRoutes(ctx.store, { set: ctx.rubricSets[0]?.set, env: ctx.env }),
    ...uiRoutes(ctx.store, {
      onClose: (step) => ctx.onClose(step),
      ingestTokensEnv: ctx.config.receiver.protocols.http.auth?.bearer_tokens_env,
      annotatorTokensEnv: ctx.config.review.annotator_tokens_env,
      env: ctx.env,
    }),
    ...reviewRoutes(ctx.store, {
      ingestTokensEnv: ctx.config.receiver.protocols.http.auth?.bearer_tokens_env,
      annotatorTokensEnv: ctx.config.review.annotator_tokens_env,
      bands: ctx.config.review.bands,
      env: ctx.env,
      maxBodyBytes: ctx.config.receiver.protocols.http.max_request_body_size,
      onClose: (step) => ctx.onClose(step),
    }),
  ];
}
