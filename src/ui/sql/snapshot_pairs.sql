-- Copies the pairs as they stand now into the snapshot {at}: the keys, people's agreement and review band,
-- and the texts cut for the table (the search reads these cuts).
INSERT INTO ui_pairs (SnapshotAt, pair_id, source, margin, agreement, band, created, prompt, chosen, rejected)
SELECT
    fromUnixTimestamp64Milli({at:Int64}),
    pair_id,
    source,
    margin,
    if(JSONHas(metadata, 'annotator_agreement'), JSONExtractFloat(metadata, 'annotator_agreement'), agreement),
    if(JSONExtractString(metadata, 'band') = '', 'unlabelled', JSONExtractString(metadata, 'band')),
    created,
    substring(prompt, 1, 2000),
    substring(chosen, 1, 1000),
    substring(rejected, 1, 1000)
FROM preference_pairs
-- Bounded memory, as the export runs (src/export/sql/_bounded_memory.sql): a refresh reads every pair too.
SETTINGS
    max_threads = 1,
    join_algorithm = 'full_sorting_merge,grace_hash,hash',
    max_bytes_before_external_sort = 134217728,
    max_bytes_before_external_group_by = 134217728
