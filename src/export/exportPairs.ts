// `prefloop export`: streams pairs (or KTO examples) out of ClickHouse into train/hold-out JSONL + manifest.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { COMBINED_RUBRIC_ID, DEFAULTS } from '../names.js';
import type { Store } from '../sink/Store.js';
import { describeFilters, filterParams } from './exportFilters.js';
import type { ExportFilters } from './exportFilters.js';
import { EXPORT_FORMATS, formatKto, formatPair, isKtoFormat } from './formats.js';
import type { ExportFormat, KtoRow, PairRow } from './formats.js';
import { HoldoutFloor, moveLines } from './holdoutFloor.js';
import { checkHoldout, holdoutBucket, isHoldout } from './holdoutSplit.js';
import { writeFileReplacing } from './exclusiveFile.js';
import { JsonlWriter } from './JsonlWriter.js';
import { prepareOutDir } from './outDir.js';
import { readRubricAgreement } from './pairsSummary.js';
import { refreshRubricAgreement } from './rubricAgreement.js';
import type { RubricAgreement } from './rubricAgreement.js';
import { exportSql } from './sqlFiles.js';
import { measureReviewGate, ReviewGate } from './reviewGate.js';
import type { ReviewedRow, ReviewGateManifest } from './reviewGate.js';
import type { ReviewBands } from '../labels/reviewBands.js';
import { formatReward, type RewardRow } from './rewardFormat.js';
import { checkSyntheticShare, SyntheticMix } from './syntheticMix.js';

export interface ExportOptions extends ExportFilters {
  format: ExportFormat;
  /** Folder for train.jsonl, holdout.jsonl and manifest.json (created if missing; removed again on failure). */
  outDir: string;
  /** Share of prompts held out (default 0.1). Split by prompt hash: no prompt is in both files. */
  holdout?: number;
  /**
   * Also export rubric (Path A) and judge pairs whose combined score or judge version has not shown
   * agreement with people (status 'unknown' or 'below_floor'); by default they are left out and counted
   * in the manifest.
   */
  includeUngated?: boolean;
  /**
   * Also export review-band pairs no reviewer has resolved and unreviewed pairs of sources whose agreement
   * with people is under the floor (docs/review.md); the discard band and voided pairs stay out.
   */
  includeUnreviewed?: boolean;
  /** Also export synthetic judge pairs (`prefloop synth`: not production traffic); by default left out and counted. */
  includeSynthetic?: boolean;
  /** Export synthetic judge pairs as at most this share (0 to 1) of the pairs exported. */
  syntheticShare?: number;
  /** review.bands from the config, stored before measuring so pair_review cuts on them. */
  reviewBands?: ReviewBands;
}

export interface ExportProgress {
  records: number;
  train: number;
  holdout: number;
}

interface FileCounts {
  path: string;
  records: number;
  /** Pairs per primary source, or KTO examples per label. */
  by: Record<string, number>;
}

export interface ExportManifest {
  format: ExportFormat;
  exported_at: string;
  store: string;
  holdout_fraction: number;
  split: string;
  filters: Record<string, unknown>;
  records: number;
  files: { train: FileCounts; holdout: FileCounts };
  /** Pairs per primary source (pair formats) or examples per label (kto), both files together. */
  by: Record<string, number>;
  /** `rubric@version` of every rubric or judge rubric behind an exported pair. */
  rubric_versions: string[];
  /** Hold-out records / all records. */
  holdout_share: number;
  /** Set when the hold-out came out empty or well below the asked share: what happened, with the counts. */
  holdout_note?: string;
  /** The gate on rubric pairs: the combined score's agreement with people, and what it let through. */
  rubric_gate?: {
    include_ungated: boolean;
    /** Rubric and judge pairs left out: their score or judge has not shown agreement ('unknown' / 'below_floor'). */
    left_out: number;
    /** Ungated rubric pairs exported anyway (include_ungated). */
    included_ungated: number;
    /** Set when the store had no measurement and refused one (e.g. read-only credentials). */
    not_refreshed?: string;
    /** When the agreement that gated this export was measured. */
    measured_at?: string;
    combined: Pick<
      RubricAgreement,
      'rubricVersion' | 'agreement' | 'lower' | 'upper' | 'floor' | 'status'
    > | null;
  };
  /** Synthetic judge pairs (`prefloop synth`): left out unless asked, and how many either way. */
  synthetic?: { include_synthetic: boolean; share?: number; left_out: number; included: number };
  /** The gate of human review: what people's labels left out and why, and the agreement it was gated on. */
  review_gate?: ReviewGateManifest;
}

export interface ExportResult {
  manifest: ExportManifest;
  trainPath: string;
  holdoutPath: string;
  manifestPath: string;
}

/** pair_keys_judge's gate for verdicts on synthetic answers (judge_verdicts.Synthetic = 1). */
const SYNTHETIC_GATE = 'synthetic';

/** Reports progress every this many records. */
const PROGRESS_EVERY = 10_000;

/** Exports with constant memory: rows stream from the store, files are written with backpressure. */
export async function exportPairs(
  store: Store,
  options: ExportOptions,
  onProgress?: (p: ExportProgress) => void,
): Promise<ExportResult> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(options.format))
    throw new Error(
      `unknown export format ${JSON.stringify(options.format)} (use ${EXPORT_FORMATS.join(', ')})`,
    );
  const holdout = options.holdout ?? DEFAULTS.holdoutFraction;
  checkHoldout(holdout);
  checkSyntheticShare(options.syntheticShare);
  const params = filterParams(options);
  const outDir = prepareOutDir(options.outDir);
  // The manifest is written last and an earlier export's is removed first: a manifest beside train.jsonl and
  // holdout.jsonl always describes them, and a folder without one holds an export that did not finish.
  const manifestPath = join(options.outDir, 'manifest.json');
  rmSync(manifestPath, { force: true });

  const files = {
    train: new JsonlWriter(join(options.outDir, 'train.jsonl')),
    holdout: new JsonlWriter(join(options.outDir, 'holdout.jsonl')),
  };
  const by = { train: new Map<string, number>(), holdout: new Map<string, number>() };
  const rubricVersions = new Set<string>();
  const gate = { left_out: 0, included_ungated: 0 };
  const synthetic = new SyntheticMix<PairRow>({
    ...(options.includeSynthetic !== undefined ? { include: options.includeSynthetic } : {}),
    ...(options.syntheticShare !== undefined ? { share: options.syntheticShare } : {}),
  });
  let combined:
    Pick<RubricAgreement, 'rubricVersion' | 'agreement' | 'lower' | 'upper' | 'floor' | 'status'> | undefined;
  let refreshError: string | undefined;
  let measuredAt: string | undefined;
  let reviewGate: ReviewGate | undefined;
  let reviewMeasure: Awaited<ReturnType<typeof measureReviewGate>> | undefined;
  let records = 0;
  const counts = { train: 0, holdout: 0 };
  let heldOutPrompt: string | undefined;
  const report = () => onProgress?.({ records, train: files.train.count, holdout: files.holdout.count });
  const floor = new HoldoutFloor();
  /** Which file a record goes to, by its prompt; noted so an empty hold-out can be mended. */
  const place = (promptHash: string, key: string): 'train' | 'holdout' => {
    if (isHoldout(promptHash, holdout)) {
      floor.seePrompt(promptHash);
      return 'holdout';
    }
    floor.seeTrain(promptHash, holdoutBucket(promptHash), files.train.count, key);
    return 'train';
  };

  try {
    if (options.format === 'reward') {
      for await (const row of store.stream<RewardRow>(exportSql('export_reward'), params)) {
        const side = place(row.prompt_hash, 'scored');
        await files[side].write(formatReward(row));
        bump(by[side], 'scored');
        for (const v of row.rubric_versions) rubricVersions.add(v);
        if (++records % PROGRESS_EVERY === 0) report();
      }
    } else if (isKtoFormat(options.format)) {
      const format = options.format;
      for await (const row of store.stream<KtoRow>(exportSql('export_kto'), params)) {
        const key = row.label ? 'desirable' : 'undesirable';
        const side = place(row.prompt_hash, key);
        await files[side].write(formatKto(row, format));
        bump(by[side], key);
        if (++records % PROGRESS_EVERY === 0) report();
      }
    } else {
      const format = options.format;
      // The gate reads the stored measurement (`prefloop pairs` and serve's schedule refresh it: measuring
      // costs about as much as the export itself). A store never measured is measured now; one that
      // refuses that write (read-only credentials) stays unmeasured, and the manifest says so.
      const stored = (await readRubricAgreement(store)).find((r) => r.currentCombination);
      if (stored) {
        combined = stored;
        measuredAt = new Date(stored.measuredMs ?? 0).toISOString();
      } else {
        try {
          combined = (await refreshRubricAgreement(store)).find((m) => m.rubricId === COMBINED_RUBRIC_ID);
          measuredAt = new Date().toISOString();
        } catch (err) {
          refreshError = (err as Error).message;
        }
      }
      reviewMeasure = await measureReviewGate(store, options.reviewBands);
      reviewGate = new ReviewGate(reviewMeasure.sources, {
        ...(options.includeUnreviewed !== undefined ? { includeUnreviewed: options.includeUnreviewed } : {}),
        ...(typeof options.agreementBand === 'string' ? { band: options.agreementBand } : {}),
      });
      for await (const row of store.stream<PairRow & ReviewedRow>(exportSql('export_pairs'), params)) {
        const review = reviewGate.decide(row);
        if (!review.keep) continue;
        if (row.rubric_gate === SYNTHETIC_GATE) {
          if (synthetic.offer(row) !== 'write') continue;
        } else if (!review.reviewed && row.rubric_gate && row.rubric_gate !== 'agrees') {
          if (!options.includeUngated) {
            gate.left_out++;
            continue;
          }
          gate.included_ungated++;
        }
        const side = place(row.prompt_hash, row.source);
        await files[side].write(formatPair(format, row));
        bump(by[side], row.source);
        for (const v of row.rubric_versions) rubricVersions.add(v);
        if (++records % PROGRESS_EVERY === 0) report();
      }
      // A share of synthetic pairs is known once the production pairs are counted.
      for (const row of synthetic.release(records)) {
        const side = place(row.prompt_hash, row.source);
        await files[side].write(formatPair(format, row));
        bump(by[side], row.source);
        for (const v of row.rubric_versions) rubricVersions.add(v);
        records++;
      }
    }
    await files.train.close();
    await files.holdout.close();
    counts.train = files.train.count;
    counts.holdout = files.holdout.count;
    const forced = floor.candidate(files.holdout.count, holdout);
    if (forced) {
      await moveLines(
        files.train.path,
        files.holdout.path,
        forced.lines.map(([line]) => line),
      );
      for (const [, key] of forced.lines) {
        bump(by.train, key, -1);
        bump(by.holdout, key);
      }
      counts.train -= forced.lines.length;
      counts.holdout += forced.lines.length;
      heldOutPrompt = forced.promptHash;
    }
  } catch (err) {
    files.train.abort();
    files.holdout.abort();
    outDir.discard();
    throw err;
  }
  report();

  const manifest: ExportManifest = {
    format: options.format,
    exported_at: new Date().toISOString(),
    store: store.location,
    holdout_fraction: holdout,
    split: `sha256(prompt_hash) first 32 bits mod 1000 < ${Math.round(holdout * 1000)} → holdout; when that holds out nothing and there are two or more prompts, the prompt with the lowest value is held out`,
    filters: describeFilters(options),
    records,
    files: {
      train: { path: 'train.jsonl', records: counts.train, by: Object.fromEntries(nonZero(by.train)) },
      holdout: {
        path: 'holdout.jsonl',
        records: counts.holdout,
        by: Object.fromEntries(nonZero(by.holdout)),
      },
    },
    holdout_share: records === 0 ? 0 : counts.holdout / records,
    ...holdoutNote(holdout, records, counts.holdout, heldOutPrompt),
    by: Object.fromEntries(nonZero(merge(by.train, by.holdout))),
    rubric_versions: [...rubricVersions].sort(),
  };
  if (!isKtoFormat(options.format) && options.format !== 'reward') {
    manifest.rubric_gate = {
      include_ungated: options.includeUngated === true,
      ...gate,
      ...(measuredAt !== undefined ? { measured_at: measuredAt } : {}),
      ...(refreshError !== undefined
        ? {
            not_refreshed: `agreement could not be measured (${refreshError}); rubric pairs count as unknown`,
          }
        : {}),
      combined: combined
        ? {
            rubricVersion: combined.rubricVersion,
            agreement: combined.agreement,
            lower: combined.lower,
            upper: combined.upper,
            floor: combined.floor,
            status: combined.status,
          }
        : null,
    };
  }
  if (!isKtoFormat(options.format) && options.format !== 'reward')
    manifest.synthetic = {
      include_synthetic: options.includeSynthetic === true,
      ...(options.syntheticShare !== undefined ? { share: options.syntheticShare } : {}),
      left_out: synthetic.leftOut,
      included: synthetic.included,
    };
  if (reviewGate && reviewMeasure) manifest.review_gate = reviewGate.manifest(reviewMeasure);
  writeFileReplacing(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return { manifest, trainPath: files.train.path, holdoutPath: files.holdout.path, manifestPath };
}

function bump(m: Map<string, number>, key: string, by = 1): void {
  m.set(key, (m.get(key) ?? 0) + by);
}

function nonZero(m: Map<string, number>): Map<string, number> {
  return new Map([...m].filter(([, n]) => n !== 0));
}

/**
 * Says when the hold-out is empty or well below the asked share: the split is by prompt, so a few
 * prompts give a coarse share (7 or 13 pairs at 10% can hold out nothing).
 */
function holdoutNote(
  asked: number,
  records: number,
  held: number,
  forcedPrompt: string | undefined,
): { holdout_note?: string } {
  if (asked <= 0 || records === 0) return {};
  const counts = `${held} of ${records} records held out (${((held / records) * 100).toFixed(1)}%, asked ${(asked * 100).toFixed(1)}%)`;
  if (forcedPrompt !== undefined)
    return {
      holdout_note: `${counts}: the split by prompt held out nothing, so prompt ${forcedPrompt} (the nearest to the split) was held out`,
    };
  if (held === 0)
    return { holdout_note: `${counts}: every record has the same prompt, so nothing can be held out` };
  if (held / records < asked / 2)
    return { holdout_note: `${counts}: the split is by prompt, and these prompts give a coarse share` };
  return {};
}

function merge(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
  return new Map([...out].sort(([x], [y]) => x.localeCompare(y)));
}
