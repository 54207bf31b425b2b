// Loads the review step's SQL from src/labels/sql (SQL lives in .sql files, not in code).
import { readFileSync } from 'node:fs';
import { packagePath } from '../paths.js';

const cache = new Map<string, string>();

/** The text of src/labels/sql/<name>.sql. */
export function reviewSql(
  name:
    | 'sample_candidates'
    | 'sample_texts'
    | 'assignments_of'
    | 'current_labels_of'
    | 'queue'
    | 'latest_label'
    | 'disputes'
    | 'labelled_pairs'
    | 'source_agreement_items'
    | 'dataset_ratings',
): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = readFileSync(packagePath('src', 'labels', 'sql', `${name}.sql`), 'utf8');
    cache.set(name, sql);
  }
  return sql;
}
