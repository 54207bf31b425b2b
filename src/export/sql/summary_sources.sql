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
