-- Contradictions left out of training in the snapshot {at}, with the evidence each side rested on (reasons
-- are worded in code); the first 20 and the total.
SELECT
    resolution,
    kept_source AS keptSource,
    left_out_sources AS leftOut,
    prompt_class AS promptClass,
    evidence,
    count() OVER () AS total
FROM ui_contradictions
WHERE SnapshotAt = fromUnixTimestamp64Milli({at:Int64})
ORDER BY undirected_id
LIMIT 20
