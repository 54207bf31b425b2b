-- Pairs per primary source and in total (source = '' on the total row), with margin quantiles, and
-- how many pairs each source found at all (a pair found by two sources counts for both).
SELECT
    source,
    count() AS pairs,
    quantiles(0, 0.1, 0.5, 0.9, 1)(margin) AS margin_quantiles,
    histogram(8)(margin) AS margin_histogram
FROM preference_pair_keys
GROUP BY GROUPING SETS ((source), ())
ORDER BY source
