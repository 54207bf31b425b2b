// Loads the export's SQL statements from src/export/sql (SQL lives in .sql files, not in code).
import { readFileSync } from 'node:fs';
import { packagePath } from '../paths.js';

const cache = new Map<string, string>();

function read(name: string): string {
  return readFileSync(packagePath('src', 'export', 'sql', `${name}.sql`), 'utf8');
}

/** The text of src/export/sql/<name>.sql, ending with the shared bounded-memory SETTINGS (_bounded_memory.sql). */
export function exportSql(name: string): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = `${read(name)}${read('_bounded_memory')}`;
    cache.set(name, sql);
  }
  return sql;
}
