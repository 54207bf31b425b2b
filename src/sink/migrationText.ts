// The text of a migration or view file: its template placeholders, statements and checksum.
import { createHash } from 'node:crypto';

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

/** The short content hash recorded for an applied file (first 16 hex digits of SHA-256). */
export function checksumOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
