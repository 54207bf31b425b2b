-- The pair sources in the snapshot {at}, for the table's filter.
SELECT source, count() AS pairs
FROM ui_pairs
WHERE SnapshotAt = fromUnixTimestamp64Milli({at:Int64})
GROUP BY source
ORDER BY source
LIMIT 20
