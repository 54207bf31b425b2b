// `prefloop calibrate --judge RUBRIC_ID`: puts the human-labelled review pairs to a rubric's LLM judge
// (pairwise in both orders, and pointwise on each answer), measures it against the people and stores
// the result per judge version in judge_calibrations, which gates the judge's pairs in export.
import type { ChatMessage } from '../../records/types.js';
import { TABLES } from '../../names.js';
import type { Rubric } from '../../score/RubricFile.js';
import { LlmJudge } from '../../score/judge/LlmJudge.js';
import type { Store } from '../../sink/Store.js';
import type { BootstrapOptions } from '../stats/bootstrap.js';
import { calibrationSql } from './calibrationSql.js';
import {
  calibrationStatus,
  summarizeJudge,
  type CalibrationStatus,
  type JudgeCalibrationSummary,
  type JudgedItem,
  type Verdict,
} from './judgeMetrics.js';

/** A reviewed pair with its texts and the people's labels. */
export interface HumanItem {
  pairId: string;
  prompt: ChatMessage[];
  chosen: string;
  rejected: string;
  humans: Map<string, Verdict>;
}

export interface JudgeCalibrationOptions extends BootstrapOptions {
  /** Kappa a judge version must reach to feed the default export (default 0.5). */
  floor?: number;
  /** Labelled items needed before a judge version counts as calibrated at all (default 20). */
  minItems?: number;
  /** Labelled pairs put to the judge (default 500). */
  limit?: number;
  /** Also grade each answer alone (pointwise; default true). */
  pointwise?: boolean;
  /** Ask for the pairwise verdict in both orders (default true). */
  pairwise?: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
}

export interface JudgeCalibrationRow extends JudgeCalibrationSummary {
  judge_version: string;
  rubric_id: string;
  rubric_version: string;
  judge_model: string;
  measured_at: string;
  floor: number;
  status: CalibrationStatus;
  /** Items the judge could not answer readably (left out, counted). */
  failed: number;
}

export const JUDGE_CALIBRATION_DEFAULTS = { floor: 0.5, minItems: 20, limit: 500 } as const;

/** `<rubric id>@<rubric version>/<model>`: what a calibration is stored under. */
export function judgeVersion(rubric: Pick<Rubric, 'id' | 'version'>, model: string): string {
  return `${rubric.id}@${rubric.version}/${model}`;
}

/** The prompt column holds JSON messages; anything else is taken as one user message. */
export function promptMessages(text: string): ChatMessage[] {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.every((m) => m && typeof m.role === 'string' && typeof m.content === 'string')
    ) {
      return parsed as ChatMessage[];
    }
  } catch {
    // not JSON: a plain prompt
  }
  return [{ role: 'user', content: text }];
}

/** The reviewed pairs with at least one rating, texts as shown to the annotators. */
export async function humanItems(store: Store, limit: number): Promise<HumanItem[]> {
  const rows = await store.query<{
    pair_id: string;
    prompt: string;
    chosen: string;
    rejected: string;
    labels: [string, string][];
  }>(calibrationSql('judge_human_items'), { limit });
  return rows.map((r) => ({
    pairId: r.pair_id,
    prompt: promptMessages(r.prompt),
    chosen: r.chosen,
    rejected: r.rejected,
    humans: new Map(r.labels.map(([a, p]) => [a, p as Verdict])),
  }));
}

/** Asks the judge about every item (pairwise both orders; pointwise when asked); failures are counted. */
export async function judgeItems(
  judge: LlmJudge,
  items: readonly HumanItem[],
  options: Pick<JudgeCalibrationOptions, 'pointwise' | 'pairwise' | 'onProgress'> = {},
): Promise<{ judged: JudgedItem[]; failed: number }> {
  const judged: JudgedItem[] = [];
  let failed = 0;
  let done = 0;
  // The judge bounds its own concurrency; a batch keeps the promises in memory bounded too.
  const batch = 32;
  for (let start = 0; start < items.length; start += batch) {
    const slice = items.slice(start, start + batch);
    const results = await Promise.all(
      slice.map(async (item): Promise<JudgedItem | null> => {
        try {
          const out: JudgedItem = { pairId: item.pairId, humans: item.humans };
          if (options.pairwise ?? true) {
            out.orders = (await judge.compare(item.prompt, item.chosen, item.rejected)).orders;
          }
          if (options.pointwise ?? true) {
            try {
              const [c, r] = await Promise.all([
                judge.grade(item.prompt, item.chosen),
                judge.grade(item.prompt, item.rejected),
              ]);
              if (c.score !== null && r.score !== null) out.scores = { chosen: c.score, rejected: r.score };
            } catch (err) {
              // A judge that will not grade alone still has its pairwise verdict; without one, the item fails.
              if (!out.orders) throw err;
            }
          }
          return out;
        } catch {
          return null;
        } finally {
          options.onProgress?.(++done, items.length);
        }
      }),
    );
    for (const r of results) {
      if (r) judged.push(r);
      else failed++;
    }
  }
  return { judged, failed };
}

/** Calibrates the rubric's judge against the people and stores the row (not when the judge never answered). */
export async function calibrateJudge(
  store: Store,
  rubric: Rubric,
  options: JudgeCalibrationOptions = {},
): Promise<JudgeCalibrationRow> {
  if (!rubric.judge) throw new Error(`rubric ${rubric.id} is not an llm_judge rubric: nothing to calibrate`);
  const floor = options.floor ?? JUDGE_CALIBRATION_DEFAULTS.floor;
  const minItems = options.minItems ?? JUDGE_CALIBRATION_DEFAULTS.minItems;
  const items = await humanItems(store, options.limit ?? JUDGE_CALIBRATION_DEFAULTS.limit);
  const judge = new LlmJudge(rubric, options.env ? { env: options.env } : {});
  const { judged, failed } = await judgeItems(judge, items, options);
  const summary = summarizeJudge(judged, rubric, options);
  const model = rubric.judge.model;
  const row: JudgeCalibrationRow = {
    judge_version: judgeVersion(rubric, model),
    rubric_id: rubric.id,
    rubric_version: rubric.version,
    judge_model: model,
    measured_at: (options.now?.() ?? new Date()).toISOString(),
    ...summary,
    floor,
    status: calibrationStatus(summary.kappa, summary.items, floor, minItems),
    failed,
  };
  // A judge that gave no readable verdict measured nothing: stored, that 'uncalibrated' row would become
  // the version's current one and take a judge calibrated earlier out of export because of an outage.
  if (judged.length > 0 || failed === 0) await storeCalibration(store, row);
  return row;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Appends the row (NaN stored as NULL); the latest per judge version is current. */
export async function storeCalibration(store: Store, row: JudgeCalibrationRow): Promise<void> {
  await store.insert(TABLES.judgeCalibrations, [
    {
      judge_version: row.judge_version,
      rubric_id: row.rubric_id,
      rubric_version: row.rubric_version,
      judge_model: row.judge_model,
      measured_at: row.measured_at.replace('T', ' ').replace('Z', ''),
      items: row.items,
      agreement: finite(row.agreement),
      kappa: finite(row.kappa),
      ci_low: finite(row.ci_low),
      ci_high: finite(row.ci_high),
      swap_consistency: finite(row.swap_consistency),
      position_bias: finite(row.position_bias),
      ties: finite(row.ties),
      pointwise_items: row.pointwise_items,
      pointwise_agreement: finite(row.pointwise_agreement),
      pointwise_kappa: finite(row.pointwise_kappa),
      human_baseline_kappa: finite(row.human_baseline_kappa),
      floor: row.floor,
      status: row.status,
    },
  ]);
}

/** The latest calibration of every judge version. */
export function latestCalibrations(store: Store): Promise<Record<string, unknown>[]> {
  return store.query(calibrationSql('judge_calibration_latest'));
}
