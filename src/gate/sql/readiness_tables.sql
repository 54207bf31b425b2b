-- Readiness: which optional tables exist (review labels and judge calibrations come with later migrations).
SELECT name FROM system.tables WHERE database = currentDatabase() AND has({names:Array(String)}, name)
