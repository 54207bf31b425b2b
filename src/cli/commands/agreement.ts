// `prefloop agreement`: how far annotators agree — on the store's review labels, or on any ratings file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  formatRatingsReport,
  formatStoreAgreement,
  ratingsJson,
} from '../../labels/calibration/formatAgreement.js';
import { storeAgreement } from '../../labels/calibration/storeAgreement.js';
import { MEASUREMENT_LEVELS, type MeasurementLevel } from '../../labels/stats/krippendorff.js';
import { ratingsReport } from '../../labels/stats/ratings.js';
import { parseRatings, RatingsFileError } from '../../labels/stats/ratingsFile.js';
import type { Command } from '../Command.js';
import { UsageError } from '../Command.js';
import { withClientStore } from '../resolve.js';
import { formatChoice, integerOption } from './clusterOptions.js';

export const agreementCommand: Command = {
  name: 'agreement',
  summary: "annotator agreement: Cohen's and Fleiss' kappa, Krippendorff's alpha with bootstrap intervals",
  usage: '[--ratings FILE [--level nominal|ordinal|interval|ratio]] [--format table|json]',
  options: {
    ratings: { type: 'string' },
    level: { type: 'string' },
    format: { type: 'string' },
    seed: { type: 'string' },
    resamples: { type: 'string' },
  },
  help: [
    '--ratings FILE       a ratings file instead of the store: CSV with header unit,annotator,value or JSONL',
    '                     {unit, annotator, value}; a missing rating is simply absent',
    "--level L            Krippendorff's alpha level for --ratings: nominal (default), ordinal, interval, ratio",
    '--format table|json  a table (default) or one JSON object',
    '--seed N             bootstrap seed (default 1; the same seed gives the same intervals)',
    '--resamples N        bootstrap resamples (default 1000)',
  ],
  async run(input) {
    const { values, io } = input;
    const format = formatChoice(values.format);
    const seed = integerOption(values.seed, '--seed', 0) ?? 1;
    const resamples = integerOption(values.resamples, '--resamples', 1) ?? 1000;
    const file = values.ratings as string | undefined;
    if (file === undefined) {
      if (values.level !== undefined)
        throw new UsageError('--level applies to --ratings FILE (the store’s labels are nominal)');
      const report = await withClientStore(input, (store) => storeAgreement(store, { seed, resamples }));
      io.stdout.write(format === 'json' ? JSON.stringify(report) + '\n' : formatStoreAgreement(report));
      return 0;
    }
    const level = (values.level ?? 'nominal') as MeasurementLevel;
    if (!MEASUREMENT_LEVELS.includes(level)) {
      throw new UsageError(
        `--level must be one of ${MEASUREMENT_LEVELS.join(', ')}, not ${JSON.stringify(values.level)}`,
      );
    }
    const path = resolve(io.cwd, file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --ratings ${file}: ${(err as Error).message}`);
    }
    let report;
    try {
      report = ratingsReport(parseRatings(text, file), { level, seed, resamples });
    } catch (err) {
      if (err instanceof RatingsFileError) throw new UsageError(err.message);
      // The library asks for the values' order (options.values); the command has no flag for it.
      if (err instanceof RangeError && /needs their order/.test(err.message))
        throw new UsageError(
          `${file}: --level ordinal needs numeric values (their order); this file has text values`,
        );
      if (err instanceof RangeError) throw new UsageError(`${file}: ${err.message}`);
      throw err;
    }
    io.stdout.write(
      format === 'json' ? JSON.stringify(ratingsJson(report)) + '\n' : formatRatingsReport(report),
    );
    return 0;
  },
};
