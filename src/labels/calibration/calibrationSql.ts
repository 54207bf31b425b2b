// Loads the agreement and judge-calibration SQL from src/labels/calibration/sql (SQL lives in .sql files).
import { readFileSync } from 'node:fs';
import { packagePath } from '../../paths.js';

const cache = new Map<string, string>();

/** The text of src/labels/calibration/sql/<name>.sql. */
export function calibrationSql(
  name:
    | 'review_ratings'
    | 'band_counts'
    | 'judge_human_items'
    | 'judge_calibration_latest'
    | 'spot_check_candidates'
    | 'drift_items'
    | 'drift_latest',
): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = readFileSync(packagePath('src', 'labels', 'calibration', 'sql', `${name}.sql`), 'utf8');
    cache.set(name, sql);
  }
  return sql;
}
