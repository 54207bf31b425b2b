// Schema upgrades: numbered migrations (tables, materialized views) once each, then the plain views, re-created when changed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PAIR_SOURCES, TABLES } from '../names.js';
import { packagePath } from '../paths.js';
import type { Store } from './Store.js';
import { StoreError } from './Store.js';
import { applyViews } from './applyViews.js';
import { checksumOf, renderMigration, splitStatements } from './migrationText.js';
import type { ViewParameters } from './viewFiles.js';
import { loadViews } from './viewFiles.js';

export { renderMigration, splitStatements };

export interface MigrateOptions {
  /** ClickHouse cluster name: DDL runs `ON CLUSTER` and tables use Replicated engines. */
  cluster?: string;
  /**
   * Folders of .sql files. Numbered `NNNN_name.sql` files are versioned migrations, applied once each in
   * number order across folders; `name.sql` files are plain views, applied after them (see applyViews).
   */
  folders?: string[];
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  /** Numbered migrations applied now (file names), then views (re-)created now (`view <name>`). */
  applied: string[];
  /** Numbered migrations already applied, then views whose text had not changed. */
  skipped: string[];
}

/** Default folders: the spans' tables, the pair views' tables, then the pair views. */
export const MIGRATION_FOLDERS = [
  packagePath('src', 'sink', 'migrations'),
  packagePath('src', 'views', 'migrations'),
  packagePath('src', 'views', 'sql'),
];

/** `{source}` in a view file name (`pairs_{source}.sql`) gives one view per pair source. */
export const VIEW_PARAMETERS: ViewParameters = { source: PAIR_SOURCES };

/** Reads numbered `NNNN_name.sql` files from the given folders. */
export function loadMigrations(folders: string[] = MIGRATION_FOLDERS): Migration[] {
  const out: Migration[] = [];
  for (const folder of folders) {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const file of names) {
      const m = /^(\d{4})_([\w-]+)\.sql$/.exec(file);
      if (!m) continue;
      const sql = readFileSync(join(folder, file), 'utf8');
      out.push({
        version: Number(m[1]),
        name: file,
        sql,
        checksum: checksumOf(sql),
      });
    }
  }
  out.sort((a, b) => a.version - b.version);
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.version === out[i - 1]!.version) {
      throw new StoreError(
        `two migrations share version ${out[i]!.version}: ${out[i - 1]!.name}, ${out[i]!.name}`,
        'MIGRATION',
      );
    }
  }
  return out;
}

/**
 * Applies every numbered migration not yet recorded, then brings the plain views up to their files.
 * Idempotent; refuses a numbered file that changed after it was applied, or a number reused under a
 * new name. Numbers recorded with no file left (the plain views of earlier layouts, 0105–0165) are
 * history: their views are re-created from the view files.
 */
export async function migrate(store: Store, options: MigrateOptions = {}): Promise<MigrateResult> {
  const db = store.database;
  await store.command(
    renderMigration('CREATE DATABASE IF NOT EXISTS ${db} ${on_cluster}', db, options.cluster),
  );
  await store.command(
    renderMigration(
      `CREATE TABLE IF NOT EXISTS \${db}.${TABLES.migrations} \${on_cluster} (
        Version UInt32, Name String, Checksum String, AppliedAt DateTime64(3) DEFAULT now64(3)
      ) ENGINE = \${engine:ReplacingMergeTree(AppliedAt)} ORDER BY Version`,
      db,
      options.cluster,
    ),
  );
  const done = new Map<number, { Name: string; Checksum: string }>();
  const rows = await store.query<{ Version: number; Name: string; Checksum: string }>(
    `SELECT Version, argMax(Name, AppliedAt) AS Name, argMax(Checksum, AppliedAt) AS Checksum
     FROM ${db}.${TABLES.migrations} GROUP BY Version`,
  );
  for (const r of rows) done.set(Number(r.Version), r);

  const result: MigrateResult = { applied: [], skipped: [] };
  const folders = options.folders ?? MIGRATION_FOLDERS;
  for (const m of loadMigrations(folders)) {
    const prior = done.get(m.version);
    if (prior) {
      if (prior.Name !== m.name) {
        throw new StoreError(
          `migration ${m.name} reuses version ${m.version}, applied earlier as ${prior.Name}; give it an unused number`,
          'MIGRATION_CHANGED',
        );
      }
      if (prior.Checksum !== m.checksum) {
        throw new StoreError(
          `migration ${m.name} changed after it was applied (checksum ${prior.Checksum} → ${m.checksum}); add a new numbered migration instead`,
          'MIGRATION_CHANGED',
        );
      }
      result.skipped.push(m.name);
      continue;
    }
    for (const statement of splitStatements(renderMigration(m.sql, db, options.cluster))) {
      try {
        await store.command(statement);
      } catch (err) {
        throw new StoreError(`migration ${m.name} failed: ${(err as Error).message}`, 'MIGRATION_FAILED', {
          cause: err,
        });
      }
    }
    await store.insert(TABLES.migrations, [{ Version: m.version, Name: m.name, Checksum: m.checksum }]);
    result.applied.push(m.name);
  }
  const views = await applyViews(store, loadViews(folders, VIEW_PARAMETERS), options.cluster);
  result.applied.push(...views.created.map((name) => `view ${name}`));
  result.skipped.push(...views.unchanged.map((name) => `view ${name}`));
  result.applied.push(...views.dropped.map((name) => `dropped view ${name}`));
  return result;
}

/**
 * The numbered migrations this prefloop has that the store has not applied (a store an older prefloop made,
 * not migrated since): read commands name them rather than fail later on a missing table or column.
 */
export async function pendingMigrations(
  store: Store,
  folders: string[] = MIGRATION_FOLDERS,
): Promise<string[]> {
  const rows = await store.query<{ Version: number }>(
    `SELECT DISTINCT Version FROM ${store.database}.${TABLES.migrations}`,
  );
  const applied = new Set(rows.map((r) => Number(r.Version)));
  return loadMigrations(folders)
    .filter((m) => !applied.has(m.version))
    .map((m) => m.name);
}
