-- What the pair views read, as row counts per table (from the catalogue: no table is scanned). A change in
-- any means the pairs may have changed since the snapshot.
SELECT arrayStringConcat(groupArray(concat(name, ':', toString(ifNull(total_rows, 0)))), ',') AS fingerprint
FROM
(
    SELECT name, total_rows FROM system.tables
    WHERE database = currentDatabase()
      AND name IN ('otel_traces', 'feedback', 'evaluations', 'judge_verdicts', 'cluster_fixes', 'rubric_pair_config',
                   'pair_settings', 'rubric_agreement', 'review_labels', 'review_resolutions', 'review_assignments')
    ORDER BY name
)
