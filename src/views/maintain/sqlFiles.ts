// Loads pair maintenance's queries from src/views/maintain (SQL lives in .sql files, not in code). They are
// queries run with parameters, not views: migrate does not read this folder.
import { readFileSync } from 'node:fs';
import { packagePath } from '../../paths.js';

const cache = new Map<string, string>();

/** The text of src/views/maintain/<name>.sql with `${db}` set to the store's database. */
export function maintainSql(name: string, database: string): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = readFileSync(packagePath('src', 'views', 'maintain', `${name}.sql`), 'utf8');
    cache.set(name, sql);
  }
  return sql.replaceAll('${db}', database);
}
