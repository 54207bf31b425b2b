// Repeatable views: re-creates each plain view whose text changed (and the views reading it), in dependency order.
import { TABLES } from '../names.js';
import type { Store } from './Store.js';
import { StoreError } from './Store.js';
import { checksumOf, renderMigration, splitStatements } from './migrationText.js';
import type { ViewFile } from './viewFiles.js';
import { withDependents } from './viewFiles.js';

export interface ApplyViewsResult {
  /** Views created or re-created, in the order they ran. */
  created: string[];
  /** Views whose text had not changed: not touched. */
  unchanged: string[];
  /** Views recorded earlier whose file is gone: dropped. */
  dropped: string[];
}

/**
 * Brings the store's plain views to the given files. A view is recorded in `prefloop_views` with the
 * checksum of the statement that made it; one whose statement changed (or that was never recorded, as
 * in a store made before views were tracked) is re-created with CREATE OR REPLACE, and so is every
 * view that reads it, so no view keeps a stale idea of another's columns. Views are never versioned:
 * a view file always holds the rule the store runs.
 */
export async function applyViews(
  store: Store,
  views: readonly ViewFile[],
  cluster?: string,
): Promise<ApplyViewsResult> {
  const db = store.database;
  const render = (sql: string): string => renderMigration(sql, db, cluster);
  await store.command(
    render(
      `CREATE TABLE IF NOT EXISTS \${db}.${TABLES.viewChecksums} \${on_cluster} (
        Name String, Checksum String, AppliedAt DateTime64(3) DEFAULT now64(3)
      ) ENGINE = \${engine:ReplacingMergeTree(AppliedAt)} ORDER BY Name`,
    ),
  );
  const recorded = new Map<string, string>();
  const rows = await store.query<{ Name: string; Checksum: string }>(
    `SELECT Name, argMax(Checksum, AppliedAt) AS Checksum FROM ${db}.${TABLES.viewChecksums} GROUP BY Name`,
  );
  for (const r of rows) if (r.Checksum !== '') recorded.set(r.Name, r.Checksum);

  // Comments are not part of what runs: editing one does not re-create the view.
  const statements = new Map(views.map((v) => [v.name, splitStatements(render(v.sql))[0]!]));
  const checksums = new Map([...statements].map(([name, sql]) => [name, checksumOf(sql)]));
  const changed = new Set(
    views.filter((v) => recorded.get(v.name) !== checksums.get(v.name)).map((v) => v.name),
  );
  const stale = withDependents(views, changed);

  const result: ApplyViewsResult = { created: [], unchanged: [], dropped: [] };
  const current = new Set(views.map((v) => v.name));
  for (const name of [...recorded.keys()].filter((n) => !current.has(n)).sort()) {
    await run(store, render(`DROP VIEW IF EXISTS \${db}.${name} \${on_cluster}`), name);
    await store.insert(TABLES.viewChecksums, [{ Name: name, Checksum: '' }]);
    result.dropped.push(name);
  }
  for (const v of views) {
    if (!stale.has(v.name)) {
      result.unchanged.push(v.name);
      continue;
    }
    await run(store, statements.get(v.name)!, v.name);
    await store.insert(TABLES.viewChecksums, [{ Name: v.name, Checksum: checksums.get(v.name)! }]);
    result.created.push(v.name);
  }
  return result;
}

async function run(store: Store, statement: string, view: string): Promise<void> {
  try {
    await store.command(statement);
  } catch (err) {
    throw new StoreError(`view ${view} failed: ${(err as Error).message}`, 'MIGRATION_FAILED', {
      cause: err,
    });
  }
}
