// Loads the gate's and readiness's SQL from src/gate/sql (SQL lives in .sql files, not in code).
import { readFileSync } from 'node:fs';
import { packagePath } from '../paths.js';

/** The text of src/gate/sql/<name>.sql. */
export function gateSql(
  name:
    | 'online_scores'
    | 'readiness_volume'
    | 'readiness_versions'
    | 'readiness_files'
    | 'readiness_density'
    | 'readiness_spread'
    | 'readiness_calibration'
    | 'readiness_tables'
    | 'readiness_judges'
    | 'readiness_labels',
): string {
  return readFileSync(packagePath('src', 'gate', 'sql', `${name}.sql`), 'utf8');
}
