-- Copies the contradictions as they stand now into the snapshot {at}.
INSERT INTO ui_contradictions (SnapshotAt, undirected_id, resolution, kept_source, left_out_sources, prompt_class, evidence)
SELECT
    fromUnixTimestamp64Milli({at:Int64}),
    undirected_id,
    resolution,
    kept_source,
    left_out_sources,
    any_prompt_class,
    evidence
FROM pair_contradictions
-- Bounded memory, as the export runs (src/export/sql/_bounded_memory.sql): a refresh reads every pair too.
SETTINGS
    max_threads = 1,
    join_algorithm = 'full_sorting_merge,grace_hash,hash',
    max_bytes_before_external_sort = 134217728,
    max_bytes_before_external_group_by = 134217728
