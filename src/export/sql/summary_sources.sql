-- The whole summary of the pairs in one pass over pair_groups (pairs_all evaluated once): pairs per
-- primary source and in total (source = '' on the total row) with margin quantiles and histogram,
-- contradictions left out, and how many pairs each source found at all (a pair found by two sources
-- counts for both; total row only).
SELECT
    source,
    countIf(contradiction = 0) AS pairs,
    quantilesIf(0, 0.1, 0.5, 0.9, 1)(margin, contradiction = 0) AS margin_quantiles,
    histogramIf(8)(margin, contradiction = 0) AS margin_histogram,
    countIf(contradiction = 1) AS contradictions,
    mapFromArrays(
        (sumMapIf(sources, arrayMap(x -> toUInt64(1), sources), contradiction = 0) AS found).1,
        found.2) AS found_by
FROM pair_groups
GROUP BY GROUPING SETS ((source), ())
ORDER BY source
-- Bounded memory on chDB and a server alike: joins merge sorted runs, sorts and aggregations spill to
-- disk past 128 MiB, and one thread runs the five pair sources one after another instead of holding
-- them all at once (measured at 1M spans: peak 2.3 GB instead of 4.2 GB, ~25% slower).
SETTINGS
    max_threads = 1,
    join_algorithm = 'full_sorting_merge,grace_hash,hash',
    max_bytes_before_external_sort = 134217728,
    max_bytes_before_external_group_by = 134217728
