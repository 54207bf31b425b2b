// `prefloop export`: streams pairs (or KTO examples) out of ClickHouse into train/hold-out JSONL + manifest.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULTS } from '../names.js';
import type { Store } from '../sink/Store.js';
import { describeFilters, filterParams } from './exportFilters.js';
import type { ExportFilters } from './exportFilters.js';
import { EXPORT_FORMATS, formatKto, formatPair } from './formats.js';
import type { ExportFormat, KtoRow, PairRow } from './formats.js';
import { checkHoldout, isHoldout } from './holdoutSplit.js';
import { JsonlWriter } from './JsonlWriter.js';
import { prepareOutDir } from './outDir.js';
import { exportSql } from './sqlFiles.js';

export interface ExportOptions extends ExportFilters {
  format: ExportFormat;
  /** Folder for train.jsonl, holdout.jsonl and manifest.json (created if missing; removed again on failure). */
  outDir: string;
  /** Share of prompts held out (default 0.1). Split by prompt hash: no prompt is in both files. */
  holdout?: number;
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
}

export interface ExportResult {
  manifest: ExportManifest;
  trainPath: string;
  holdoutPath: string;
  manifestPath: string;
}

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
  const params = filterParams(options);
  const outDir = prepareOutDir(options.outDir);

  const files = {
    train: new JsonlWriter(join(options.outDir, 'train.jsonl')),
    holdout: new JsonlWriter(join(options.outDir, 'holdout.jsonl')),
  };
  const by = { train: new Map<string, number>(), holdout: new Map<string, number>() };
  const rubricVersions = new Set<string>();
  let records = 0;
  const report = () => onProgress?.({ records, train: files.train.count, holdout: files.holdout.count });

  try {
    if (options.format === 'kto') {
      for await (const row of store.stream<KtoRow>(exportSql('export_kto'), params)) {
        const side = isHoldout(row.prompt_hash, holdout) ? 'holdout' : 'train';
        await files[side].write(formatKto(row));
        bump(by[side], row.label ? 'desirable' : 'undesirable');
        if (++records % PROGRESS_EVERY === 0) report();
      }
    } else {
      const format = options.format;
      for await (const row of store.stream<PairRow>(exportSql('export_pairs'), params)) {
        const side = isHoldout(row.prompt_hash, holdout) ? 'holdout' : 'train';
        await files[side].write(formatPair(format, row));
        bump(by[side], row.source);
        for (const v of row.rubric_versions) rubricVersions.add(v);
        if (++records % PROGRESS_EVERY === 0) report();
      }
    }
    await files.train.close();
    await files.holdout.close();
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
    split: `sha256(prompt_hash) first 32 bits mod 1000 < ${Math.round(holdout * 1000)} → holdout`,
    filters: describeFilters(options),
    records,
    files: {
      train: { path: 'train.jsonl', records: files.train.count, by: Object.fromEntries(by.train) },
      holdout: { path: 'holdout.jsonl', records: files.holdout.count, by: Object.fromEntries(by.holdout) },
    },
    by: Object.fromEntries(merge(by.train, by.holdout)),
    rubric_versions: [...rubricVersions].sort(),
  };
  const manifestPath = join(options.outDir, 'manifest.json');
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return { manifest, trainPath: files.train.path, holdoutPath: files.holdout.path, manifestPath };
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function merge(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
  return new Map([...out].sort(([x], [y]) => x.localeCompare(y)));
}
