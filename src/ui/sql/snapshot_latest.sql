-- The latest complete snapshot of the pair views.
SELECT toString(SnapshotAt) AS at, toUnixTimestamp64Milli(SnapshotAt) AS atMs, Fingerprint AS fingerprint,
    Seconds AS seconds, Pairs AS pairs, Contradictions AS contradictions
FROM ui_snapshots
ORDER BY SnapshotAt DESC
LIMIT 1
