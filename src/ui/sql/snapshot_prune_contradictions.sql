-- Drops the contradiction copies older than the snapshot {at} (and any a failed refresh left behind). Only
-- older ones: a newer one may be another serve's copy of the same store, still being taken.
ALTER TABLE ui_contradictions DELETE WHERE SnapshotAt < fromUnixTimestamp64Milli({at:Int64})
