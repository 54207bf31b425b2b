-- How many rows the snapshot {at} holds.
SELECT
    (SELECT count() FROM ui_pairs WHERE SnapshotAt = fromUnixTimestamp64Milli({at:Int64})) AS pairs,
    (SELECT count() FROM ui_contradictions WHERE SnapshotAt = fromUnixTimestamp64Milli({at:Int64})) AS contradictions
