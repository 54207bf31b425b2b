-- The latest complete snapshot of the pair views; its time printed in UTC whatever the server's time zone.
SELECT formatDateTime(SnapshotAt, '%Y-%m-%d %H:%i:%S', 'UTC') AS at, toUnixTimestamp64Milli(SnapshotAt) AS atMs,
    Fingerprint AS fingerprint, Seconds AS seconds, Pairs AS pairs, Contradictions AS contradictions
FROM ui_snapshots
ORDER BY SnapshotAt DESC
LIMIT 1
