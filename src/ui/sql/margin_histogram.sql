-- The distribution of pair margins in up to 20 adaptive bins (ClickHouse's histogram aggregate), and totals.
SELECT
    count() AS pairs,
    arrayMap(b -> (b.1, b.2, round(b.3)), histogram(20)(toFloat64(margin))) AS bins
FROM preference_pair_keys
