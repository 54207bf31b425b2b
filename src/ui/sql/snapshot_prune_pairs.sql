-- Drops the copies older than the snapshot {at} (and any a failed refresh left behind).
ALTER TABLE ui_pairs DELETE WHERE SnapshotAt != fromUnixTimestamp64Milli({at:Int64})
