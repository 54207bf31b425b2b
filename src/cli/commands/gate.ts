// `prefloop gate`: the release gate. Hold-out prompts to a baseline and a candidate model, answers scored by
// the rubric file and stored, statistics and a verdict CI can gate on: exit 0 ship, 1 hold, 2 rollback,
// 3 the gate could not run (bad input, an unreachable model, a store it cannot write).
import { join, resolve } from 'node:path';
import { GATE } from '../../names.js';
import { prepareOutDir } from '../../outDir.js';
import { packagePath } from '../../paths.js';
import { DEFAULTS } from '../../names.js';
import { loadRubricFile } from '../../score/RubricFile.js';
import { readHoldout } from '../../gate/holdout.js';
import { renderTable, writeReport } from '../../gate/report.js';
import type { GateReport } from '../../gate/report.js';
import { runGate } from '../../gate/runGate.js';
import { runOnline } from '../../gate/runOnline.js';
import { saveGateRun } from '../../gate/saveGateRun.js';
import { EXIT_CODES } from '../../gate/verdict.js';
import { readServeLock } from '../../serve/serveLock.js';
import { openStore, parseStoreUrl } from '../../sink/openStore.js';
import type { Store } from '../../sink/Store.js';
import type { Command, CommandInput } from '../Command.js';
import { UsageError } from '../Command.js';
import { progress } from '../progress.js';
import { resolveConfig, resolveStore } from '../resolve.js';
import { requireEmbeddedStore, requireServerStore } from '../requireStore.js';
import { formatChoice, integerOption, pointInTime } from './clusterOptions.js';

export const gateCommand: Command = {
  name: 'gate',
  summary:
    'release gate: the same rubric file on a baseline and a candidate model → ship (0), hold (1) or rollback (2)',
  usage:
    '--holdout FILE --baseline-url URL --baseline-model M --candidate-url URL --candidate-model M [--judge-url URL --judge-model M] [--out DIR] [--format table|json]\n' +
    '       prefloop gate --online --since T [--until T] --baseline-model A --candidate-model B [--out DIR] [--format table|json]',
  options: {
    holdout: { type: 'string' },
    'baseline-url': { type: 'string' },
    'baseline-model': { type: 'string' },
    'candidate-url': { type: 'string' },
    'candidate-model': { type: 'string' },
    'judge-url': { type: 'string' },
    'judge-model': { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    concurrency: { type: 'string' },
    timeout: { type: 'string' },
    retries: { type: 'string' },
    'max-tokens': { type: 'string' },
    seed: { type: 'string' },
    'preference-floor': { type: 'string' },
    rubrics: { type: 'string' },
    cache: { type: 'string' },
    online: { type: 'boolean' },
    since: { type: 'string' },
    until: { type: 'string' },
  },
  help: [
    '--holdout FILE          holdout.jsonl from `prefloop export` (any format; its manifest.json is read too)',
    '--baseline-url URL      the model in production: an OpenAI-compatible base URL up to /v1',
    '--baseline-model M      its model name (key from PREFLOOP_BASELINE_API_KEY)',
    '--candidate-url URL     the tuned model, likewise (key from PREFLOOP_CANDIDATE_API_KEY)',
    '--candidate-model M     its model name',
    '--judge-url URL         pairwise judge for the win rate when the endpoints give no log-probabilities',
    '--judge-model M         the judge model (key from PREFLOOP_JUDGE_API_KEY)',
    '--out DIR               write report.md, report.json and report.html there',
    '--format table|json     a summary (default) or the whole report as JSON',
    `--concurrency N         requests in flight per endpoint (default ${GATE.concurrency})`,
    `--timeout MS            per request (default ${GATE.timeoutMs})`,
    `--retries N             retries of 429, 5xx, timeouts and network errors (default ${GATE.maxRetries})`,
    `--max-tokens N          answer length cap (default ${GATE.maxTokens})`,
    `--seed N                bootstrap seed (default ${GATE.seed})`,
    `--preference-floor X    preference accuracy needed to ship (default ${GATE.preferenceFloor}: chance)`,
    '--rubrics FILE          rubric file (default: the config’s, else collector-config/rubrics.yaml)',
    `--cache DIR|off         answer cache (default: ${GATE.cacheFolder}/ in the embedded store folder)`,
    '--online                canary: compare two models already in the store’s traffic (--since, --until)',
    '--since T / --until T   online window: ISO time or an age like 24h, 7d (until defaults to now)',
    'Exit: 0 ship, 1 hold, 2 rollback, 3 the gate could not run (the error says why).',
  ],
  usageExitCode: EXIT_CODES.error,
  async run(input) {
    try {
      return await gate(input);
    } catch (err) {
      // Never 1 or 2: CI would read a failure to run as hold or rollback.
      const e = err as Error;
      input.io.stderr.write(
        `prefloop gate: could not run: ${e.message}${process.env.PREFLOOP_DEBUG ? `\n${e.stack}` : ''}\n`,
      );
      return EXIT_CODES.error;
    }
  },
};

function required(input: CommandInput, name: string): string {
  const v = input.values[name] as string | undefined;
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

function numberOption(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`${name} must be a number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  return n;
}

async function gate(input: CommandInput): Promise<number> {
  const { values, io } = input;
  const format = formatChoice(values.format);
  const config = resolveConfig(input);
  const rubricFile = resolve(
    io.cwd,
    (values.rubrics as string | undefined) ?? config.rubrics[0]?.file ?? packagePath(DEFAULTS.rubricFile),
  );
  const set = loadRubricFile(rubricFile);
  const seed = integerOption(values.seed, '--seed', 0);
  const floor = numberOption(values['preference-floor'], '--preference-floor', 0, 1);
  // The report folder is checked before any model is asked: a run must not end in exit 3 after it was kept.
  const outDir = values.out === undefined ? undefined : resolve(io.cwd, values.out as string);
  if (outDir !== undefined) prepareOutDir(outDir, 'the gate report');
  const { url: storeUrl, source } = resolveStore(input, config);
  const target = parseStoreUrl(storeUrl);
  if (target.kind === 'embedded') {
    requireEmbeddedStore(target, source);
    const lock = readServeLock(target.folder!);
    if (lock)
      // Refused before any model is asked: a verdict computed and then not kept would break "every run is kept".
      throw new UsageError(
        `the store embedded:${target.folder} is held by a running \`prefloop serve\` (pid ${lock.pid}), and the gate must write into it (its answers as spans, its run in gate_runs), which serve's read-only query route cannot take. ` +
          `Stop serve (\`kill ${lock.pid}\`, or Ctrl-C where it runs), run this same \`prefloop gate\` command again, then start serve again; ` +
          'or keep the data in a ClickHouse server (--store http://host:8123) that serve and the gate can both write',
      );
  }
  const bar = progress(io, 'gate');
  let report: GateReport;
  let save: (store: Store) => Promise<void>;
  if (values.online) {
    // Named, not ignored: a user who passes a hold-out expects it to be used.
    const offlineOnly = [
      'holdout',
      'baseline-url',
      'candidate-url',
      'judge-url',
      'judge-model',
      'cache',
    ].filter((k) => values[k] !== undefined);
    if (offlineOnly.length > 0)
      throw new UsageError(
        `--online compares traffic already in the store, so ${offlineOnly.map((k) => `--${k}`).join(', ')} ${offlineOnly.length === 1 ? 'does' : 'do'} not apply; drop them, or drop --online to send a hold-out to both models`,
      );
    const now = new Date();
    const since = pointInTime(values.since, '--since', now);
    if (since === undefined) throw new UsageError('--online needs --since T (an ISO time or an age like 7d)');
    const until = pointInTime(values.until, '--until', now) ?? now;
    if (!(since < until))
      throw new UsageError(
        `--since (${since.toISOString()}) must be before --until (${until.toISOString()})`,
      );
    const baselineModel = required(input, 'baseline-model');
    const candidateModel = required(input, 'candidate-model');
    report = await withStore(storeUrl, source, target.kind === 'http', (store) =>
      runOnline(store, {
        set,
        rubricFile,
        since,
        until,
        baselineModel,
        candidateModel,
        ...(seed !== undefined ? { seed } : {}),
        ...(floor !== undefined ? { preferenceFloor: floor } : {}),
      }),
    );
    save = (store) => saveGateRun(store, report, []);
  } else {
    const holdout = readHoldout(resolve(io.cwd, required(input, 'holdout')));
    const endpoint = (side: 'baseline' | 'candidate') => {
      const key = io.env[`PREFLOOP_${side.toUpperCase()}_API_KEY`];
      return {
        role: side,
        baseUrl: required(input, `${side}-url`),
        model: required(input, `${side}-model`),
        ...(key ? { apiKey: key } : {}),
      };
    };
    const baseline = endpoint('baseline');
    const candidate = endpoint('candidate');
    const judgeUrl = values['judge-url'] as string | undefined;
    const judgeModel = values['judge-model'] as string | undefined;
    if ((judgeUrl === undefined) !== (judgeModel === undefined))
      throw new UsageError('a judge needs both --judge-url URL (up to /v1) and --judge-model M');
    const cacheFlag = values.cache as string | undefined;
    const cacheDir =
      cacheFlag === 'off'
        ? undefined
        : cacheFlag !== undefined
          ? resolve(io.cwd, cacheFlag)
          : target.kind === 'embedded'
            ? join(resolve(io.cwd, target.folder!), GATE.cacheFolder)
            : resolve(io.cwd, `.prefloop-${GATE.cacheFolder}`);
    const result = await runGate({
      holdout,
      set,
      rubricFile,
      baseline,
      candidate,
      ...(judgeUrl && judgeModel
        ? {
            judge: {
              baseUrl: judgeUrl,
              model: judgeModel,
              ...(io.env.PREFLOOP_JUDGE_API_KEY ? { apiKey: io.env.PREFLOOP_JUDGE_API_KEY } : {}),
            },
          }
        : {}),
      ...opt('concurrency', integerOption(values.concurrency, '--concurrency', 1)),
      ...opt('timeoutMs', integerOption(values.timeout, '--timeout', 1)),
      ...opt('maxRetries', integerOption(values.retries, '--retries', 0)),
      ...opt('maxTokens', integerOption(values['max-tokens'], '--max-tokens', 1)),
      ...opt('seed', seed),
      ...opt('preferenceFloor', floor),
      ...(cacheDir !== undefined ? { cacheDir } : {}),
      env: io.env,
      onProgress: (text) => bar.update(text),
    });
    report = result.report;
    save = (store) => saveGateRun(store, report, result.answers);
  }
  bar.done();
  await withStore(storeUrl, source, target.kind === 'http', save);
  for (const w of report.warnings) io.stderr.write(`prefloop gate: warning: ${w}\n`);
  if (outDir !== undefined) {
    const paths = writeReport(outDir, report);
    io.stderr.write(`prefloop gate: report in ${paths.md}, ${paths.json}, ${paths.html}\n`);
  }
  io.stdout.write(format === 'json' ? JSON.stringify(report) + '\n' : renderTable(report));
  return report.exit_code;
}

function opt<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

async function withStore<T>(
  url: string,
  source: string,
  server: boolean,
  work: (s: Store) => Promise<T>,
): Promise<T> {
  const store = await openStore(url);
  try {
    if (server) await requireServerStore(store, source);
    return await work(store);
  } finally {
    await store.close();
  }
}
