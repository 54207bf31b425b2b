-- The whole summary of the pairs in one pass over pair_groups (pairs_all evaluated once): pairs per
-- primary source and in total (source = '' on the total row) with margin quantiles and an exact
-- histogram (fixed bins, counts that add up to the pairs), contradictions (a lower source overridden,
-- or the highest source disagreeing with itself) with up to 20 of them and their evidence, rubric
-- pairs held back by the agreement gate, and how many pairs each source found at all (a pair found by
-- two sources counts for both; total row only).
SELECT
    source,
    countIf(contradiction = 0) AS pairs,
    quantilesIf(0, 0.1, 0.5, 0.9, 1)(margin, contradiction = 0) AS margin_quantiles,
    -- Bin i (1-based) holds margins below the i-th edge and at or above the one before.
    sumMapIf(
        [toUInt8(arrayFirstIndex(e -> margin < e, [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, inf]))],
        [toUInt64(1)],
        contradiction = 0) AS margin_bins,
    minIf(margin, contradiction = 0) AS margin_min,
    maxIf(margin, contradiction = 0) AS margin_max,
    countIf(contradiction = 1 OR notEmpty(overridden_sources)) AS contradictions,
    countIf(contradiction = 1) AS unresolved,
    countIf(contradiction = 0 AND rubric_gate NOT IN ('', 'agrees')) AS ungated,
    groupArrayIf(20)(
        tuple(if(contradiction = 1, 'unresolved', 'overridden'), if(contradiction = 1, '', source),
            if(contradiction = 1, arrayDistinct(arrayConcat(sources_one_way, sources_other_way)), overridden_sources),
            prompt_class, evidence),
        contradiction = 1 OR notEmpty(overridden_sources)) AS contradiction_samples,
    mapFromArrays(
        (sumMapIf(sources, arrayMap(x -> toUInt64(1), sources), contradiction = 0) AS found).1,
        found.2) AS found_by
FROM pair_groups
GROUP BY GROUPING SETS ((source), ())
ORDER BY source
