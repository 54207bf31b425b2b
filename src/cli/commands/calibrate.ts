// `prefloop calibrate --pairs FILE`: how often each rubric (and judge) agrees with human preferences;
// `--judge`, `--check` and `--retune` calibrate a judge against the store's human review labels.
import { packagePath } from '../../paths.js';
import { resolve } from 'node:path';
import { calibrate, formatCalibrationTable } from '../../score/calibrate/calibrate.js';
import { loadRubricFile } from '../../score/RubricFile.js';
import { DEFAULTS } from '../../names.js';
import type { Command } from '../Command.js';
import { UsageError } from '../Command.js';
import { progress } from '../progress.js';
import { resolveConfig } from '../resolve.js';
import { runCalibrateCheck, runCalibrateJudge, runCalibrateRetune } from './calibrateJudge.js';

export const calibrateCommand: Command = {
  name: 'calibrate',
  summary: 'score both sides of human preference pairs (HH-RLHF JSONL) and report agreement per rubric',
  usage:
    '--pairs FILE [--rubrics FILE] [--limit N] [--judge-limit N] [--format table|json]\n' +
    '       | --judge RUBRIC_ID [--floor K] [--min-items N] | --check | --retune RUBRIC_ID [--holdout-share S]',
  options: {
    pairs: { type: 'string' },
    rubrics: { type: 'string' },
    limit: { type: 'string' },
    'judge-limit': { type: 'string' },
    format: { type: 'string' },
    judge: { type: 'string' },
    check: { type: 'boolean' },
    retune: { type: 'string' },
    floor: { type: 'string' },
    'min-items': { type: 'string' },
    'holdout-share': { type: 'string' },
  },
  help: [
    '--pairs FILE         HH-RLHF style JSONL ({"chosen", "rejected"} transcripts), .gz allowed',
    '--rubrics FILE       rubric file (default: the config’s, else collector-config/rubrics.yaml)',
    '--limit N            use only the first N pairs',
    '--judge-limit N      pairs sent to each LLM judge, both orders (default 100; 0 skips judges)',
    '--format table|json  a table (default) or the whole report as JSON',
    '--judge RUBRIC_ID    calibrate that llm_judge rubric against the human review labels in the store and',
    '                     store the result per judge version (it gates the judge’s pairs in export)',
    "--floor K            Cohen's kappa a judge must reach to be calibrated (default 0.5)",
    '--min-items N        labelled pairs needed before a judge counts as calibrated (default 20)',
    '--check              exit 1 while a judge drift alarm stands (serve’s spot checks), else 0',
    '--retune RUBRIC_ID   propose the threshold and noise floor that agree best with people; write a new',
    '                     rubric file beside the old one only if it does at least as well on the hold-out',
    '--holdout-share S    share of labelled pairs pinned as the hold-out for --retune (default 0.3)',
  ],
  async run(input) {
    const { values, io } = input;
    const modes = [
      values.judge !== undefined,
      values.check === true,
      values.retune !== undefined,
      values.pairs !== undefined,
    ];
    if (modes.filter(Boolean).length > 1)
      throw new UsageError('give one of --pairs, --judge, --check, --retune');
    const rubricsOf = () =>
      (values.rubrics as string | undefined) ??
      resolveConfig(input).rubrics[0]?.file ??
      packagePath(DEFAULTS.rubricFile);
    if (values.judge !== undefined) return runCalibrateJudge(input, rubricsOf());
    if (values.check === true) return runCalibrateCheck(input);
    if (values.retune !== undefined) return runCalibrateRetune(input, rubricsOf());
    const pairs = values.pairs as string | undefined;
    if (!pairs)
      throw new UsageError(
        '--pairs FILE is required (e.g. an HH-RLHF test.jsonl.gz), or one of --judge RUBRIC_ID, --check, --retune RUBRIC_ID',
      );
    const int = (flag: string): number | undefined => {
      const raw = values[flag] as string | undefined;
      if (raw === undefined) return undefined;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0)
        throw new UsageError(`--${flag} must be a whole number >= 0, not ${JSON.stringify(raw)}`);
      return n;
    };
    const limit = int('limit');
    const judgeLimit = int('judge-limit');
    const rubricFile =
      (values.rubrics as string | undefined) ??
      resolveConfig(input).rubrics[0]?.file ??
      packagePath(DEFAULTS.rubricFile);
    const set = loadRubricFile(resolve(io.cwd, rubricFile));
    const bar = progress(io, 'calibrate');
    const report = await calibrate(resolve(io.cwd, pairs), set, {
      ...(limit !== undefined ? { limit } : {}),
      ...(judgeLimit !== undefined ? { judgeLimit } : {}),
      judge: { env: io.env },
      onProgress: (done, total) => bar.update(`${done}/${total} pairs`),
    });
    bar.done();
    io.stdout.write(
      values.format === 'json' ? JSON.stringify(report) + '\n' : formatCalibrationTable(report),
    );
    return 0;
  },
};
