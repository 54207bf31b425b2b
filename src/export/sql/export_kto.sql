-- Unpaired thumbs to export (KTO); same parameters as export_pairs.sql where they apply
-- (sources and min_margin do not: an unpaired example has neither).
SELECT
    span_id,
    prompt_hash,
    prompt_class,
    prompt,
    completion,
    label,
    kind,
    agreement,
    toUnixTimestamp64Milli(created) AS created_ms
FROM kto_examples
WHERE toUnixTimestamp64Milli(created) >= {since_ms:Int64}
    AND toUnixTimestamp64Milli(created) < {until_ms:Int64}
    AND ({prompt_class:String} = '' OR prompt_class = {prompt_class:String})
    AND agreement >= {agreement_min:Float64} AND agreement < {agreement_max:Float64}
ORDER BY span_id
-- Bounded memory on chDB and a server alike: joins merge sorted runs, sorts and aggregations spill to
-- disk past 128 MiB, and one thread runs the five pair sources one after another instead of holding
-- them all at once (measured at 1M spans: peak 2.3 GB instead of 4.2 GB, ~25% slower).
SETTINGS
    max_threads = 1,
    join_algorithm = 'full_sorting_merge,grace_hash,hash',
    max_bytes_before_external_sort = 134217728,
    max_bytes_before_external_group_by = 134217728
