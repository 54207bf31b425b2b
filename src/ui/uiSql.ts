// Loads the pages' SQL from src/ui/sql (SQL lives in .sql files, not in code), once per statement.
import { readFileSync } from 'node:fs';
import { GATE, TABLES } from '../names.js';
import { packagePath } from '../paths.js';
import type { QueryParams, Store } from '../sink/Store.js';

export type UiStatement =
  | 'tables_present'
  | 'pairs_over_time'
  | 'margin_histogram'
  | 'contradictions'
  | 'pairs_page'
  | 'sources'
  | 'clusters'
  | 'proposed_fixes'
  | 'rubric_agreement'
  | 'score_distribution'
  | 'judge_calibrations'
  | 'judge_drift'
  | 'gate_runs'
  | 'snapshot_fingerprint'
  | 'snapshot_latest'
  | 'snapshot_pairs'
  | 'snapshot_contradictions'
  | 'snapshot_counts'
  | 'snapshot_record'
  | 'snapshot_prune_pairs'
  | 'snapshot_prune_contradictions'
  | 'review_progress';

const cache = new Map<UiStatement, string>();

/** The text of src/ui/sql/<name>.sql. */
export function uiSql(name: UiStatement): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = readFileSync(packagePath('src', 'ui', 'sql', `${name}.sql`), 'utf8');
    cache.set(name, sql);
  }
  return sql;
}

/** Runs one of the pages' statements with its parameters (bound by the engine, never pasted). */
export function uiQuery<T>(store: Store, name: UiStatement, params?: QueryParams): Promise<T[]> {
  return store.query<T>(uiSql(name), params);
}

/** Tables made by later steps' migrations, which a page shows when present and explains when absent. */
export const OPTIONAL_TABLES = {
  judgeCalibrations: TABLES.judgeCalibrations,
  judgeDrift: TABLES.judgeDrift,
  gateRuns: GATE.runsTable,
} as const;

/** Which of `names` exist in the store's database. */
export async function presentTables(store: Store, names: readonly string[]): Promise<Set<string>> {
  const rows = await uiQuery<{ name: string }>(store, 'tables_present', { names });
  return new Set(rows.map((r) => r.name));
}
