// Clustering inside `serve`, on a timer (prefloop.yaml `clustering:`, off by default): each tick clusters
// the last `window` of failing spans through serve's own store handle (so it works on an embedded folder
// serve holds, which the CLI reaches only through the read-only query route), never two runs at once,
// one log line per run, stopped on shutdown (a running run is waited for).
import { diag } from '../observe/diag.js';
import { JudgeClient } from '../score/judge/JudgeClient.js';
import type { RubricSet } from '../score/RubricFile.js';
import type { Store } from '../sink/Store.js';
import { ClusterStore } from './ClusterStore.js';
import { OpenAiEmbedder } from './embed/OpenAiEmbedder.js';
import { FixRescorer } from './rescoreFix.js';
import { runCluster } from './runCluster.js';
import type { RunClusterResult } from './runCluster.js';

/** prefloop.yaml `clustering:` as validated (src/config/schema.ts); durations in ms. */
export interface ClusteringSettings {
  readonly enabled: boolean;
  readonly interval: number;
  readonly window: number;
  readonly min_cluster_size: number;
  readonly min_samples?: number | undefined;
  readonly rubrics: readonly string[];
  readonly embedder: {
    readonly type: 'lexical' | 'openai';
    readonly endpoint?: string | undefined;
    readonly model?: string | undefined;
    readonly api_key?: string | undefined;
    readonly fallback: boolean;
  };
  readonly judge?: {
    readonly endpoint: string;
    readonly model: string;
    readonly api_key?: string | undefined;
  };
}

export interface ScheduleDeps {
  /** The rubric file the judge's fixes are re-scored with (serve's first). */
  set: RubricSet | undefined;
  env: NodeJS.ProcessEnv;
  /** Registers the stop step with serve's shutdown. */
  onClose(step: () => Promise<void> | void): void;
}

/** A running schedule (tests call `runNow`). */
export interface ClusterSchedule {
  /** Runs one clustering now unless one is running (then that run's result). */
  runNow(): Promise<RunClusterResult | undefined>;
  stop(): Promise<void>;
}

const COMPONENT = 'cluster';

/** Starts the schedule when `settings.enabled`; undefined otherwise. */
export function scheduleClustering(
  store: Store,
  settings: ClusteringSettings | undefined,
  deps: ScheduleDeps,
): ClusterSchedule | undefined {
  if (!settings?.enabled) return undefined;
  const clusters = new ClusterStore(store);
  const embedder =
    settings.embedder.type === 'openai'
      ? new OpenAiEmbedder({
          baseUrl: settings.embedder.endpoint!,
          model: settings.embedder.model!,
          apiKey: settings.embedder.api_key ?? deps.env.PREFLOOP_EMBED_API_KEY,
        })
      : undefined;
  const judge = settings.judge
    ? new JudgeClient({
        baseUrl: settings.judge.endpoint,
        model: settings.judge.model,
        apiKey: settings.judge.api_key ?? deps.env.PREFLOOP_JUDGE_API_KEY,
        timeoutMs: 60_000,
        maxRetries: 3,
        backoffMs: 500,
        temperature: 0,
        maxTokens: 1000,
      })
    : undefined;
  const rescorer = judge && deps.set ? new FixRescorer(deps.set, { env: deps.env }) : undefined;
  let running: Promise<RunClusterResult | undefined> | undefined;
  let stopped = false;

  const once = async (): Promise<RunClusterResult | undefined> => {
    const now = new Date();
    try {
      const result = await runCluster(clusters, {
        since: new Date(now.getTime() - settings.window),
        until: now,
        now,
        minClusterSize: settings.min_cluster_size,
        minSamples: settings.min_samples,
        rubrics: settings.rubrics,
        embedder,
        judge,
        judgeName: settings.judge?.model,
        rescorer,
        lexicalFallback: settings.embedder.fallback,
        onFallback: (err) =>
          diag('warn', COMPONENT, `${err.message}; clustering this run with the lexical embedder`),
        onJudgeError: (c, err) =>
          diag('warn', COMPONENT, `cluster ${c.id} keeps its term name: ${err.message}`),
      });
      diag('info', COMPONENT, summary(result));
      return result;
    } catch (err) {
      diag('warn', COMPONENT, 'scheduled clustering failed; will try again next interval', err);
      return undefined;
    }
  };
  const runNow = (): Promise<RunClusterResult | undefined> => {
    if (stopped) return Promise.resolve(undefined);
    running ??= once().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void runNow(), settings.interval);
  timer.unref();
  const stop = async (): Promise<void> => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
  deps.onClose(stop);
  return { runNow, stop };
}

/** One line per run: what was clustered, with which embedder, and the fixes' verdicts. */
export function summary(r: RunClusterResult): string {
  if (r.failing === 0) return 'scheduled clustering: no failing LLM spans in the window; nothing written';
  const clustered = r.clusters.reduce((s, c) => s + c.members.length, 0);
  const fixes =
    r.fixes.length > 0 ? `; fixes ${r.fixes.map((f) => `${f.cluster_id} ${f.status}`).join(', ')}` : '';
  return (
    `scheduled clustering: ${r.failing} failing spans, ${r.clusters.length} clusters ` +
    `(${r.clusters.filter((c) => c.isNew).length} new), ${r.failing - clustered} noise, ` +
    `${r.embedded} embedded now with ${r.embedder}${fixes}`
  );
}
