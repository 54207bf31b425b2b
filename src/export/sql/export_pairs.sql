-- Pairs to export. Every filter is a query parameter and lets everything through at its neutral
-- value ('' or the widest range), so this one statement serves every combination of options.
-- Pairs without human votes (agreement NULL) are not filtered by agreement.
SELECT
    pair_id,
    source,
    sources,
    prompt,
    chosen,
    rejected,
    margin,
    prompt_class,
    prompt_hash,
    chosen_span_id,
    rejected_span_id,
    toUnixTimestamp64Milli(created) AS created_ms,
    agreement,
    rubric_versions,
    metadata
FROM preference_pairs
WHERE ({sources:String} = '' OR arrayExists(s -> has(splitByChar(',', {sources:String}), s), sources))
    AND margin >= {min_margin:Float64}
    AND toUnixTimestamp64Milli(created) >= {since_ms:Int64}
    AND toUnixTimestamp64Milli(created) < {until_ms:Int64}
    AND ({prompt_class:String} = '' OR prompt_class = {prompt_class:String})
    AND (agreement IS NULL OR (agreement >= {agreement_min:Float64} AND agreement < {agreement_max:Float64}))
ORDER BY pair_id
-- Bounded memory on chDB and a server alike: joins merge sorted runs, sorts and aggregations spill to
-- disk past 128 MiB, and one thread runs the five pair sources one after another instead of holding
-- them all at once (measured at 1M spans: peak 2.3 GB instead of 4.2 GB, ~25% slower).
SETTINGS
    max_threads = 1,
    join_algorithm = 'full_sorting_merge,grace_hash,hash',
    max_bytes_before_external_sort = 134217728,
    max_bytes_before_external_group_by = 134217728
