// `prefloop calibrate --pairs FILE`: how often each rubric (and judge) agrees with human preferences.
import { packagePath } from '../../paths.js';
import { resolve } from 'node:path';
import { calibrate, formatCalibrationTable } from '../../score/calibrate/calibrate.js';
import { loadRubricFile } from '../../score/RubricFile.js';
import { DEFAULTS } from '../../names.js';
import type { Command } from '../Command.js';
import { UsageError } from '../Command.js';
import { progress } from '../progress.js';
import { resolveConfig } from '../resolve.js';

export const calibrateCommand: Command = {
  name: 'calibrate',
  summary: 'score both sides of human preference pairs (HH-RLHF JSONL) and report agreement per rubric',
  usage: '--pairs FILE [--rubrics FILE] [--limit N] [--judge-limit N] [--format table|json]',
  options: {
    pairs: { type: 'string' },
    rubrics: { type: 'string' },
    limit: { type: 'string' },
    'judge-limit': { type: 'string' },
    format: { type: 'string' },
  },
  help: [
    '--pairs FILE         HH-RLHF style JSONL ({"chosen", "rejected"} transcripts), .gz allowed (required)',
    '--rubrics FILE       rubric file (default: the config’s, else collector-config/rubrics.yaml)',
    '--limit N            use only the first N pairs',
    '--judge-limit N      pairs sent to each LLM judge, both orders (default 100; 0 skips judges)',
    '--format table|json  a table (default) or the whole report as JSON',
  ],
  async run(input) {
    const { values, io } = input;
    const pairs = values.pairs as string | undefined;
    if (!pairs) throw new UsageError('--pairs FILE is required (e.g. an HH-RLHF test.jsonl.gz)');
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
