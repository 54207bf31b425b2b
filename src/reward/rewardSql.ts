// Loads the reward layer's SQL from src/reward/sql (SQL lives in .sql files, not in code).
import { readFileSync } from 'node:fs';
import { packagePath } from '../paths.js';

/** The text of src/reward/sql/<name>.sql. */
export function rewardSql(name: 'synth_answers' | 'synth_verdicts' | 'synth_columns'): string {
  return readFileSync(packagePath('src', 'reward', 'sql', `${name}.sql`), 'utf8');
}
