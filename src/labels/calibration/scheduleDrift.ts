// The drift alarm inside `serve`: every interval, send the spot-check share of new judge pairs to review,
// then compare each judge with people over the rolling window; publish both gauges on /metrics and log
// one line when an alarm rises or clears. Never two checks at once; stopped (and waited for) on shutdown.
import { METRICS } from '../../names.js';
import { diag } from '../../observe/diag.js';
import type { Metrics } from '../../observe/Metrics.js';
import type { Store } from '../../sink/Store.js';
import {
  checkDrift,
  latestDrift,
  type DriftChange,
  type DriftSettings,
  type DriftState,
} from './driftCheck.js';
import { assignSpotChecks } from './spotCheck.js';

export interface JudgeDriftSettings extends DriftSettings {
  enabled: boolean;
  /** How often to check, ms. */
  interval: number;
  /** Share of judge pairs sent to review as spot checks. */
  spot_check_share: number;
  /** Annotators the spot checks go to, and how many per pair. */
  annotators: readonly string[];
  per_item: number;
}

export const JUDGE_DRIFT_DEFAULTS: JudgeDriftSettings = {
  enabled: false,
  interval: 10 * 60_000,
  window: 7 * 86_400_000,
  margin: 0.1,
  minItems: 20,
  spot_check_share: 0.05,
  annotators: [],
  per_item: 2,
};

export interface DriftSchedule {
  /** Settles once the standing states are published (read at start). */
  readonly ready: Promise<void>;
  /** Runs one check now unless one is running (then that one's result). */
  runNow(): Promise<{ states: DriftState[]; changes: DriftChange[]; spotChecked: number } | undefined>;
  stop(): Promise<void>;
}

const COMPONENT = 'judge-drift';

/** Publishes each rubric's state as the two labelled gauges. */
export function publishDrift(metrics: Metrics, states: readonly DriftState[]): void {
  for (const s of states) {
    const labels = { rubric: s.rubric_id };
    if (s.judge_agreement !== null) {
      metrics.setGauge(
        METRICS.judgeDrift.agreement,
        "judge's agreement with people on spot-checked items in the window",
        s.judge_agreement,
        labels,
      );
    }
    metrics.setGauge(
      METRICS.judgeDrift.alarm,
      '1 while the judge is below the human–human agreement by more than the margin',
      s.alarm ? 1 : 0,
      labels,
    );
  }
}

/**
 * Why the alarm could never decide with these settings, or undefined. The baseline is people agreeing with
 * each other, so a spot check needs two annotators: with fewer the alarm would stay silent forever, which
 * must not pass for "no drift".
 */
export function driftSetupProblem(
  settings: Pick<JudgeDriftSettings, 'annotators' | 'per_item' | 'spot_check_share'>,
): string | undefined {
  if (settings.spot_check_share <= 0)
    return 'judge_drift.spot_check_share is 0: no judge pair goes to review, so the alarm can never decide';
  const k = Math.min(settings.per_item, settings.annotators.length);
  if (k < 2)
    return (
      `judge_drift sends each spot check to ${k} annotator(s) (annotators: ${settings.annotators.length}, per_item: ${settings.per_item}); ` +
      'the human–human baseline needs two, so the alarm can never decide: name two or more annotators and set per_item >= 2'
    );
  return undefined;
}

/** Starts the schedule when `settings.enabled`; undefined otherwise. */
export function scheduleJudgeDrift(
  store: Store,
  metrics: Metrics,
  settings: JudgeDriftSettings,
  onClose: (step: () => Promise<void> | void) => void,
): DriftSchedule | undefined {
  if (!settings.enabled) return undefined;
  const problem = driftSetupProblem(settings);
  if (problem) diag('warn', COMPONENT, problem);
  type Result = Awaited<ReturnType<DriftSchedule['runNow']>>;
  let running: Promise<Result> | undefined;
  let stopped = false;
  const once = async (): Promise<Result> => {
    const now = new Date();
    try {
      const spotChecked = await assignSpotChecks(
        store,
        {
          share: settings.spot_check_share,
          annotators: settings.annotators,
          perItem: settings.per_item,
          sinceMs: now.getTime() - settings.window,
        },
        now,
      );
      const { states, changes } = await checkDrift(store, settings, now);
      publishDrift(metrics, states);
      for (const c of changes) {
        const s = c.state;
        diag(
          c.change === 'rose' ? 'warn' : 'info',
          COMPONENT,
          `judge drift alarm ${c.change === 'rose' ? 'RAISED' : 'cleared'} for rubric ${c.rubric_id} (${s.judge_version}): ` +
            `judge agrees with people ${pct(s.judge_agreement)} vs people with each other ${pct(s.baseline_agreement)} ` +
            `on ${s.window_items} spot-checked items (margin ${s.margin})`,
        );
      }
      return { states, changes, spotChecked };
    } catch (err) {
      diag('warn', COMPONENT, 'judge drift check failed; will try again next interval', err);
      return undefined;
    }
  };
  const runNow = (): Promise<Result> => {
    if (stopped) return Promise.resolve(undefined);
    running ??= once().finally(() => {
      running = undefined;
    });
    return running;
  };
  // The standing states are on /metrics from the start (an alarm survives a restart), not only after a check.
  const initial = latestDrift(store).then(
    (states) => publishDrift(metrics, states),
    (err: unknown) => diag('warn', COMPONENT, 'could not read the standing judge drift states', err),
  );
  const timer = setInterval(() => void runNow(), settings.interval);
  timer.unref();
  const stop = async (): Promise<void> => {
    stopped = true;
    clearInterval(timer);
    await initial;
    await running;
  };
  onClose(stop);
  return { ready: initial, runNow, stop };
}

function pct(x: number | null): string {
  return x === null ? '-' : `${(x * 100).toFixed(1)}%`;
}

/** prefloop.yaml `judge_drift:` as validated (src/config/schema.ts); durations in ms. */
export interface JudgeDriftConfigBlock {
  readonly enabled: boolean;
  readonly interval: number;
  readonly window: number;
  readonly margin: number;
  readonly min_items: number;
  readonly spot_check_share: number;
  readonly annotators: readonly string[];
  readonly per_item: number;
}

/** serve's one line: the schedule from the config block (absent → off). */
export function scheduleJudgeDriftFromConfig(
  store: Store,
  metrics: Metrics,
  block: JudgeDriftConfigBlock | undefined,
  onClose: (step: () => Promise<void> | void) => void,
  served?: ReadonlySet<string>,
): DriftSchedule | undefined {
  if (!block?.enabled) return undefined;
  const settings = { ...block, minItems: block.min_items, ...(served ? { served } : {}) };
  return scheduleJudgeDrift(store, metrics, settings, onClose);
}
