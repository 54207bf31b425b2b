// Versioned schema: applies src/sink/migrations/*.sql (and views) in order, once each, recorded in a table.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLES } from '../names.js';
import { packagePath } from '../paths.js';
import type { Store } from './Store.js';
import { StoreError } from './Store.js';

export interface MigrateOptions {
  /** ClickHouse cluster name: DDL runs `ON CLUSTER` and tables use Replicated engines. */
  cluster?: string;
  /** Folders of numbered .sql files, applied in file-name order across folders. */
  folders?: string[];
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  skipped: string[];
}

/** Default migration folders: the schema, then the views built on it. */
export const MIGRATION_FOLDERS = [
  packagePath('src', 'sink', 'migrations'),
  packagePath('src', 'views', 'sql'),
];

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
        checksum: createHash('sha256').update(sql).digest('hex').slice(0, 16),
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
 * Expands the template placeholders of a migration:
 * `${db}`, `${on_cluster}`, and `${engine:X(args)}` (X, or ReplicatedX with the replica path on a cluster).
 */
export function renderMigration(sql: string, database: string, cluster?: string): string {
  return sql
    .replaceAll('${db}', database)
    .replaceAll('${on_cluster}', cluster ? `ON CLUSTER '${cluster.replaceAll("'", '')}'` : '')
    .replace(/\$\{engine:(\w+)\(([^)]*)\)\}/g, (_all, engine: string, args: string) => {
      if (!cluster) return `${engine}(${args})`;
      const replicaArgs = [`'/clickhouse/tables/{shard}/{database}/{table}'`, `'{replica}'`];
      if (args.trim()) replicaArgs.push(args);
      return `Replicated${engine}(${replicaArgs.join(', ')})`;
    });
}

/** Splits a migration into statements on `;` at the end of a line (SQL comments kept out). */
export function splitStatements(sql: string): string[] {
  const withoutComments = sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n');
  return withoutComments
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Applies every migration not yet recorded; idempotent, and refuses an applied file that changed. */
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
  for (const m of loadMigrations(options.folders)) {
    const prior = done.get(m.version);
    if (prior) {
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
  return result;
}
