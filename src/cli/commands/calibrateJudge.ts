// The judge parts of `prefloop calibrate`: --judge (calibrate a judge against the human review labels),
// --check (exit non-zero while a drift alarm stands) and --retune (a better threshold, as a new file).
import { resolve } from 'node:path';
import { formatJudgeCalibration, formatDriftStates } from '../../labels/calibration/formatJudge.js';
import { calibrateJudge, JUDGE_CALIBRATION_DEFAULTS } from '../../labels/calibration/judgeCalibration.js';
import { latestDrift } from '../../labels/calibration/driftCheck.js';
import { retuneRubric, formatRetune } from '../../labels/calibration/retune.js';
import { loadRubricFile } from '../../score/RubricFile.js';
import { readServeLock } from '../../serve/serveLock.js';
import { parseStoreUrl } from '../../sink/openStore.js';
import type { CommandInput } from '../Command.js';
import { UsageError } from '../Command.js';
import { progress } from '../progress.js';
import { resolveConfig, resolveStore, withClientStore } from '../resolve.js';
import { formatChoice, integerOption } from './clusterOptions.js';

/** A number in [low, 1] (a share from 0, a kappa from -1); undefined when absent. */
function shareOption(value: unknown, name: string, low = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < low || n > 1) {
    throw new UsageError(`${name} must be a number from ${low} to 1, not ${JSON.stringify(value)}`);
  }
  return n;
}

/** The rubric with that id in the file, or a UsageError listing the judge rubrics there are. */
function judgeRubric(file: string, id: string) {
  const set = loadRubricFile(file);
  const rubric = set.rubrics.find((r) => r.id === id);
  const judges = set.rubrics.filter((r) => r.judge).map((r) => r.id);
  if (!rubric || !rubric.judge) {
    throw new UsageError(
      `${id} is not an llm_judge rubric in ${file} (${judges.length ? `llm_judge rubrics there: ${judges.join(', ')}` : 'it has none'})`,
    );
  }
  return rubric;
}

/** --judge stores its result: a store held by serve is reachable only through its read-only query route. */
function refuseServedStore(input: CommandInput): void {
  const target = parseStoreUrl(resolveStore(input, resolveConfig(input)).url);
  if (target.kind !== 'embedded') return;
  const lock = readServeLock(target.folder!);
  if (lock) {
    throw new UsageError(
      `the store embedded:${target.folder} is held by a running \`prefloop serve\` (pid ${lock.pid}); calibrate --judge stores its result, which serve's read-only query route cannot take: stop serve first, or keep the data in a ClickHouse server (--store http://host:8123) that both can write`,
    );
  }
}

export async function runCalibrateJudge(input: CommandInput, rubricFile: string): Promise<number> {
  const { values, io } = input;
  refuseServedStore(input);
  const format = formatChoice(values.format);
  const rubric = judgeRubric(resolve(io.cwd, rubricFile), values.judge as string);
  const floor = shareOption(values.floor, '--floor', -1);
  const minItems = integerOption(values['min-items'], '--min-items', 1);
  const limit = integerOption(values.limit, '--limit', 1);
  const bar = progress(io, 'calibrate');
  const row = await withClientStore(input, (store) =>
    calibrateJudge(store, rubric, {
      floor: floor ?? JUDGE_CALIBRATION_DEFAULTS.floor,
      minItems: minItems ?? JUDGE_CALIBRATION_DEFAULTS.minItems,
      limit: limit ?? JUDGE_CALIBRATION_DEFAULTS.limit,
      env: io.env,
      onProgress: (done, total) => bar.update(`${done}/${total} labelled pairs`),
    }),
  );
  bar.done();
  io.stdout.write(format === 'json' ? JSON.stringify(row) + '\n' : formatJudgeCalibration(row));
  if (row.items === 0 && row.failed > 0) {
    // Nothing measured because the judge never answered: a failure to fix, not a calibration.
    io.stderr.write(
      `prefloop calibrate: the judge at ${rubric.judge!.base_url} (${rubric.judge!.model}) gave no readable verdict on any of ${row.failed} labelled pairs (nothing stored): check base_url, model and api_key_env\n`,
    );
    return 1;
  }
  return 0;
}

export async function runCalibrateCheck(input: CommandInput): Promise<number> {
  const format = formatChoice(input.values.format);
  const states = await withClientStore(input, (store) => latestDrift(store));
  const alarms = states.filter((s) => s.alarm);
  input.io.stdout.write(
    format === 'json'
      ? JSON.stringify({ alarms: alarms.length, rubrics: states }) + '\n'
      : formatDriftStates(states),
  );
  return alarms.length > 0 ? 1 : 0;
}

export async function runCalibrateRetune(input: CommandInput, rubricFile: string): Promise<number> {
  const { values, io } = input;
  const format = formatChoice(values.format);
  const path = resolve(io.cwd, rubricFile);
  const rubric = judgeRubric(path, values.retune as string);
  const holdout = shareOption(values['holdout-share'], '--holdout-share');
  const limit = integerOption(values.limit, '--limit', 1);
  const bar = progress(io, 'retune');
  const result = await withClientStore(input, (store) =>
    retuneRubric(store, path, rubric, {
      ...(holdout !== undefined ? { holdoutShare: holdout } : {}),
      limit: limit ?? JUDGE_CALIBRATION_DEFAULTS.limit,
      env: io.env,
      onProgress: (done, total) => bar.update(`${done}/${total} labelled pairs`),
    }),
  );
  bar.done();
  io.stdout.write(format === 'json' ? JSON.stringify(result) + '\n' : formatRetune(result));
  return 0;
}
