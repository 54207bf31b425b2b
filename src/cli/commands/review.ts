// `prefloop review sample …` and `prefloop review import FILE`: draw pairs for people to label and assign
// them; load labels given elsewhere (JSONL, the rows POST /v1/review/labels takes). docs/review.md.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULTS, PAIR_SOURCES } from '../../names.js';
import { sampleProblems } from '../../labels/sample.js';
import { sampleReview } from '../../labels/sampleReview.js';
import { LabelProblems, storeLabels } from '../../labels/reviewStore.js';
import { writeReviewBands } from '../../labels/reviewBands.js';
import type { Command, CommandInput } from '../Command.js';
import { UsageError } from '../Command.js';
import { resolveConfig, withClientStore } from '../resolve.js';
import { formatChoice, integerOption } from './clusterOptions.js';

export const reviewCommand: Command = {
  name: 'review',
  summary: 'human review: sample pairs for annotators (review sample), load labels (review import FILE)',
  usage:
    'sample --n N --annotators a,b,c [--per-item K] [--source S]... [--seed N] [--format table|json] | import FILE [--format table|json]',
  options: {
    n: { type: 'string' },
    annotators: { type: 'string' },
    'per-item': { type: 'string' },
    source: { type: 'string', multiple: true },
    seed: { type: 'string' },
    format: { type: 'string' },
  },
  help: [
    'sample                draw pairs not yet sampled and assign each to K annotators',
    '  --n N               pairs to draw (each source gets an equal share; low-margin pairs drawn twice as often)',
    '  --annotators a,b,c  the annotators (balanced load; each sees the answers in their own random order)',
    `  --per-item K        annotators per pair (default ${DEFAULTS.reviewPerItem}, at most the number of annotators)`,
    `  --source S          only pairs whose source is S; repeatable (${PAIR_SOURCES.join(', ')})`,
    '  --seed N            the draw is the same for the same pairs and seed (default 1)',
    'import FILE           labels as JSONL {pair_id, annotator_id, preferred: chosen|rejected|tie|skip} (or {item_id, choice: a|b|tie|skip}); all or nothing',
    '--format table|json   a readable summary (default) or one JSON document',
  ],
  async run(input) {
    const [sub, ...rest] = input.positionals;
    if (sub === 'sample') return sample(input, rest);
    if (sub === 'import') return importLabels(input, rest);
    throw new UsageError(
      `name a subcommand: prefloop review sample --n N --annotators a,b,c, or prefloop review import FILE${sub ? ` (not ${JSON.stringify(sub)})` : ''}`,
    );
  },
};

async function sample(input: CommandInput, rest: string[]): Promise<number> {
  const { values, io } = input;
  if (rest.length)
    throw new UsageError(`review sample takes no file or word, got ${JSON.stringify(rest[0])}`);
  const format = formatChoice(values.format);
  const n = integerOption(values.n, '--n', 1);
  if (n === undefined) throw new UsageError('--n N is required (how many pairs to draw)');
  const annotators = String(values.annotators ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  if (annotators.length === 0) throw new UsageError('--annotators a,b,c is required');
  const perItem =
    integerOption(values['per-item'], '--per-item', 1) ?? Math.min(DEFAULTS.reviewPerItem, annotators.length);
  const seed = integerOption(values.seed, '--seed', 0) ?? 1;
  const sources = (values.source as string[] | undefined) ?? [];
  for (const s of sources)
    if (!(PAIR_SOURCES as readonly string[]).includes(s))
      throw new UsageError(`--source ${JSON.stringify(s)} is not one of ${PAIR_SOURCES.join(', ')}`);
  const problems = sampleProblems({ n, annotators, perItem, seed });
  if (problems.length) throw new UsageError(problems.join('\n  '));
  const bands = resolveConfig(input).review.bands;
  const result = await writing(() =>
    withClientStore(input, async (store) => {
      await writeReviewBands(store, bands);
      return sampleReview(store, { n, annotators, perItem, seed, sources });
    }),
  );
  if (format === 'json') {
    io.stdout.write(
      JSON.stringify({
        sample_id: result.sample_id,
        candidates: result.candidates,
        pairs: result.items.length,
        assignments: result.assignments,
        per_item: perItem,
        strata: result.strata,
        load: result.load,
      }) + '\n',
    );
    return 0;
  }
  const lines = [
    `sampled ${result.items.length} of ${result.candidates} candidate pairs, ${perItem} annotators each: ${result.assignments} assignments (sample ${result.sample_id})`,
    '  by stratum:',
    ...Object.entries(result.strata)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([s, c]) => `    ${s.padEnd(24)} ${String(c).padStart(6)}`),
    '  per annotator:',
    ...Object.entries(result.load).map(([a, c]) => `    ${a.padEnd(24)} ${String(c).padStart(6)}`),
  ];
  if (result.items.length < n)
    lines.push(
      `  (asked for ${n}; only ${result.candidates} pairs were not yet sampled${sources.length ? ' in those sources' : ''})`,
    );
  io.stdout.write(lines.join('\n') + '\n');
  return 0;
}

async function importLabels(input: CommandInput, rest: string[]): Promise<number> {
  const { values, io } = input;
  const format = formatChoice(values.format);
  if (rest.length !== 1)
    throw new UsageError('review import takes one file: prefloop review import labels.jsonl');
  const path = resolve(io.cwd, rest[0] as string);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
  const rows: unknown[] = [];
  const lineOf: number[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    lineOf.push(i + 1);
    try {
      rows.push(JSON.parse(line));
    } catch (err) {
      rows.push(undefined);
      problems.push(`line ${i + 1}: not JSON (${(err as Error).message})`);
    }
  });
  const asLines = (p: string) => p.replace(/^row (\d+):/, (_m, r: string) => `line ${lineOf[Number(r)]}:`);
  if (problems.length) return refuse(io, path, problems);
  try {
    const { stored, unchanged } = await writing(() =>
      withClientStore(input, (store) => storeLabels(store, rows, { via: 'import' })),
    );
    if (format === 'json') io.stdout.write(JSON.stringify({ stored, unchanged }) + '\n');
    else
      io.stdout.write(
        `${stored} labels stored from ${path}${unchanged ? ` (${unchanged} repeated a current label: unchanged)` : ''}\n`,
      );
    return 0;
  } catch (err) {
    if (err instanceof LabelProblems) return refuse(io, path, err.problems.map(asLines));
    throw err;
  }
}

function refuse(io: CommandInput['io'], path: string, problems: string[]): number {
  io.stderr.write(
    `${path}: nothing stored, ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}\n`,
  );
  return 1;
}

/** Runs a write; when a running serve holds the folder (it takes reads only from other processes), says what to do. */
async function writing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const message = (err as Error).message;
    if (/through the running prefloop serve/.test(message) && /only reads run here/.test(message))
      throw new UsageError(
        `${message}\n  a running serve holds this store and takes only reads from other commands: stop it to sample or import, or post labels to POST /v1/review/labels (docs/review.md)`,
      );
    throw err;
  }
}
