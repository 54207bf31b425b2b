// `prefloop export`: train/hold-out JSONL for trainers (dpo, dpo-chat, kto, hh), streamed from the store.
import { resolve } from 'node:path';
import {
  AGREEMENT_BANDS,
  EXPORT_FORMATS,
  exportPairs,
  isKtoFormat,
  prepareOutDir,
} from '../../export/index.js';
import type { AgreementBand, ExportFormat, ExportManifest, ExportOptions } from '../../export/index.js';
import { PAIR_SOURCES } from '../../names.js';
import type { PairSource } from '../../names.js';
import type { Command } from '../Command.js';
import { UsageError } from '../Command.js';
import { progress } from '../progress.js';
import { resolveConfig, withClientStore } from '../resolve.js';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write train.jsonl + holdout.jsonl (+ manifest.json) for TRL, axolotl, Unsloth, LLaMA-Factory',
  usage: `--format ${EXPORT_FORMATS.join('|')} --out DIR [filters]`,
  options: {
    format: { type: 'string' },
    out: { type: 'string' },
    holdout: { type: 'string' },
    source: { type: 'string', multiple: true },
    'min-margin': { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    'prompt-class': { type: 'string' },
    'agreement-band': { type: 'string' },
    'include-ungated': { type: 'boolean' },
    'include-unreviewed': { type: 'boolean' },
    'include-synthetic': { type: 'boolean' },
    'synthetic-share': { type: 'string' },
  },
  help: [
    `--format FORMAT      ${EXPORT_FORMATS.join(' | ')} (required)`,
    '--out DIR            output folder (required; created if missing)',
    '--holdout FRACTION   share of prompts held out, split by prompt hash (default 0.1)',
    `--source NAME        keep pairs from this source; repeatable (${PAIR_SOURCES.join(', ')})`,
    '--min-margin X       keep pairs with margin >= X',
    '--since TIME         keep pairs created at or after TIME (ISO 8601)',
    '--until TIME         keep pairs created before TIME (ISO 8601)',
    '--prompt-class NAME  keep one prompt class',
    `--agreement-band B   keep pairs whose annotator agreement is in band ${Object.keys(AGREEMENT_BANDS).join('|')}`,
    '--include-ungated    also export rubric and judge pairs whose agreement with people is unknown or below the floor',
    '--include-unreviewed also export unresolved review-band pairs and unreviewed pairs of sources under the agreement floor',
    '--include-synthetic  also export synthetic judge pairs from `prefloop synth` (metadata.synthetic is true)',
    '--synthetic-share X  mix them in as at most X (0 to 1) of the exported pairs instead of all of them',
  ],
  async run(input) {
    const { values, io } = input;
    const problems: string[] = [];
    const format = values.format as string | undefined;
    if (!format) problems.push('--format is required');
    else if (!(EXPORT_FORMATS as readonly string[]).includes(format))
      problems.push(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not ${JSON.stringify(format)}`);
    const out = values.out as string | undefined;
    if (!out) problems.push('--out DIR is required');
    const options: Partial<ExportOptions> = {};
    const number = (flag: string, min: number, max: number): number | undefined => {
      const raw = values[flag] as string | undefined;
      if (raw === undefined) return undefined;
      const n = Number(raw);
      if (!Number.isFinite(n) || n < min || n > max)
        problems.push(`--${flag} must be a number in [${min}, ${max}], not ${JSON.stringify(raw)}`);
      return n;
    };
    const date = (flag: string): Date | undefined => {
      const raw = values[flag] as string | undefined;
      if (raw === undefined) return undefined;
      const d = new Date(raw);
      if (Number.isNaN(d.getTime()))
        problems.push(`--${flag} must be an ISO 8601 time, not ${JSON.stringify(raw)}`);
      return d;
    };
    const holdout = number('holdout', 0, 1);
    const syntheticShare = number('synthetic-share', 0, 1);
    const minMargin = number('min-margin', -Infinity, Infinity);
    const since = date('since');
    const until = date('until');
    const sources = values.source as string[] | undefined;
    for (const s of sources ?? [])
      if (!(PAIR_SOURCES as readonly string[]).includes(s))
        problems.push(`--source ${JSON.stringify(s)} is not one of ${PAIR_SOURCES.join(', ')}`);
    const band = values['agreement-band'] as string | undefined;
    if (band !== undefined && !(band in AGREEMENT_BANDS))
      problems.push(`--agreement-band must be one of ${Object.keys(AGREEMENT_BANDS).join(', ')}`);
    if (format) problems.push(...unsupportedFlags(format, values));
    if (problems.length) throw new UsageError(problems.join('\n  '));

    Object.assign(options, {
      format: format as ExportFormat,
      outDir: resolve(io.cwd, out!),
      ...(holdout !== undefined ? { holdout } : {}),
      ...(minMargin !== undefined ? { minMargin } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
      ...(sources ? { sources: sources as PairSource[] } : {}),
      ...(values['prompt-class'] ? { promptClass: values['prompt-class'] as string } : {}),
      ...(band ? { agreementBand: band as AgreementBand } : {}),
      ...(values['include-ungated'] ? { includeUngated: true } : {}),
      ...(values['include-unreviewed'] ? { includeUnreviewed: true } : {}),
      ...(values['include-synthetic'] ? { includeSynthetic: true } : {}),
      ...(syntheticShare !== undefined ? { syntheticShare } : {}),
      reviewBands: resolveConfig(input).review.bands,
    });
    // Checked before any query runs; a folder created here is removed again if the export then fails.
    const outDir = prepareOutDir(options.outDir!);
    const bar = progress(io, 'export');
    let result;
    try {
      result = await withClientStore(input, (store) =>
        exportPairs(store, options as ExportOptions, (p) =>
          bar.update(`${p.records} records (${p.train} train, ${p.holdout} hold-out)`),
        ),
      );
    } catch (err) {
      outDir.discard();
      throw err;
    } finally {
      bar.done();
    }
    const m = result.manifest;
    io.stdout.write(
      [
        `exported ${m.records} ${isKtoFormat(m.format) || m.format === 'reward' ? 'examples' : 'pairs'} as ${format} from ${m.store}`,
        `  train     ${result.trainPath}  (${m.files.train.records})`,
        `  hold-out  ${result.holdoutPath}  (${m.files.holdout.records})`,
        `  manifest  ${result.manifestPath}`,
        `  by ${isKtoFormat(m.format) ? 'label' : m.format === 'reward' ? 'kind' : 'source'}: ${
          Object.entries(m.by)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || 'none'
        }`,
        ...exportNotes(m),
        '',
      ].join('\n'),
    );
    return 0;
  },
};

/**
 * Flags a format cannot honour, refused rather than ignored: unpaired formats (kto, kto-chat: one row per
 * answer) have no source, margin or pair gates, and `reward` (one row per scored span) not even a band.
 */
const PAIR_ONLY_FLAGS = [
  'source',
  'min-margin',
  'include-ungated',
  'include-unreviewed',
  'include-synthetic',
  'synthetic-share',
] as const;

function unsupportedFlags(format: string, values: Record<string, unknown>): string[] {
  const pairsOnly = isKtoFormat(format as ExportFormat) || format === 'reward';
  const refused: string[] = pairsOnly ? [...PAIR_ONLY_FLAGS] : [];
  if (format === 'reward') refused.push('agreement-band');
  return refused
    .filter((flag) => values[flag] !== undefined)
    .map((flag) => `--${flag} does not apply to --format ${format} (it filters preference pairs)`);
}

/** Lines about what the rubric gate and the review gate did. */
function exportNotes(m: ExportManifest): string[] {
  const notes = m.holdout_note ? [`  hold-out: ${m.holdout_note}`] : [];
  notes.push(...reviewGateNotes(m.review_gate));
  if (m.synthetic && m.synthetic.left_out + m.synthetic.included > 0)
    notes.push(
      m.synthetic.included > 0
        ? `  synthetic: ${m.synthetic.included} synthetic judge pairs exported (metadata.synthetic is true), ${m.synthetic.left_out} left out`
        : `  synthetic: ${m.synthetic.left_out} synthetic judge pairs left out (--include-synthetic or --synthetic-share exports them)`,
    );
  const gate = m.rubric_gate;
  if (!gate) return notes;
  if (gate.not_refreshed) notes.push(`  rubric gate: ${gate.not_refreshed}`);
  const c = gate.combined;
  const why = c
    ? `combined rubric score ${c.status}${c.agreement === null ? '' : ` (agreement ${pct(c.agreement)}, 95% CI ${pct(c.lower)}–${pct(c.upper)}, floor ${pct(c.floor)})`}`
    : 'no rubric feeds rubric pairs';
  if (gate.included_ungated > 0)
    notes.push(
      `  rubric/judge pairs: ${gate.included_ungated} exported although ungated (--include-ungated; ${why})`,
    );
  if (gate.left_out > 0)
    notes.push(
      `  rubric/judge pairs: ${gate.left_out} left out, agreement with people not shown (${why}); see \`prefloop pairs\`, or --include-ungated to export them`,
    );
  return notes;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Lines about the human-review gate: what it left out and why, and the agreement it was gated on. */
function reviewGateNotes(g: ExportManifest['review_gate']): string[] {
  if (!g) return [];
  const notes: string[] = [];
  if (g.not_refreshed) notes.push(`  review gate: ${g.not_refreshed}`);
  const a = g.annotators;
  if (a?.fleiss_kappa || a?.krippendorff_alpha)
    notes.push(
      `  reviewed: ${g.reviewed.exported} exported (${g.reviewed.flipped} flipped by people); annotators on ${a.pairs} pairs: Fleiss kappa ${num(a.fleiss_kappa?.value)}, Krippendorff alpha ${num(a.krippendorff_alpha?.value)}`,
    );
  const why = Object.entries(g.left_out)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${reason.replace(/_/g, ' ')}`);
  if (why.length)
    notes.push(
      `  left out by review: ${why.join(', ')}${g.include_unreviewed ? '' : ' (--include-unreviewed keeps the unresolved and unreviewed ones)'}`,
    );
  for (const s of g.sources.filter((x) => x.status === 'below_floor'))
    notes.push(
      `  source ${s.source}: kappa ${num(s.kappa)} with people on ${s.items} pairs (95% CI ${num(s.ci_low)}–${num(s.ci_high)}) is under the floor ${g.floor}`,
    );
  return notes;
}

function num(x: number | null | undefined): string {
  return x === null || x === undefined ? 'n/a' : x.toFixed(3);
}
