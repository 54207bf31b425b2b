-- Records the snapshot {at} as complete, with the fingerprint of the store it copied.
INSERT INTO ui_snapshots (SnapshotAt, Fingerprint, Seconds, Pairs, Contradictions)
SELECT fromUnixTimestamp64Milli({at:Int64}), {fingerprint:String}, {seconds:Float64}, {pairs:UInt64}, {contradictions:UInt64}
