-- The distribution of pair margins in the snapshot {at}: up to 20 adaptive bins (ClickHouse's histogram).
SELECT count() AS pairs, arrayMap(b -> (b.1, b.2, round(b.3)), histogram(20)(margin)) AS bins
FROM ui_pairs
WHERE SnapshotAt = fromUnixTimestamp64Milli({at:Int64})
