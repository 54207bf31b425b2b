// Loads the cluster step's SQL from src/cluster/sql (SQL lives in .sql files, not in code).
import { readFileSync } from 'node:fs';
import { packagePath } from '../paths.js';

/** The text of src/cluster/sql/<name>.sql. */
export function clusterSql(
  name:
    | 'failing_spans'
    | 'cached_embeddings'
    | 'earlier_clusters'
    | 'list_clusters'
    | 'fix_exemplar'
    | 'cluster_fix_target'
    | 'cluster_fixes_of',
): string {
  return readFileSync(packagePath('src', 'cluster', 'sql', `${name}.sql`), 'utf8');
}
