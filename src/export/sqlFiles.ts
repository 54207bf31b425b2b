// Loads the export's SQL statements from src/export/sql (SQL lives in .sql files, not in code).
import { readFileSync } from 'node:fs';
import { packagePath } from '../paths.js';

const cache = new Map<string, string>();

/** The text of src/export/sql/<name>.sql. */
export function exportSql(name: string): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = readFileSync(packagePath('src', 'export', 'sql', `${name}.sql`), 'utf8');
    cache.set(name, sql);
  }
  return sql;
}
