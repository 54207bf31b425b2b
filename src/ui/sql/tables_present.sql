-- Which of the optional tables (made by later migrations: review, calibration, gate runs) exist in this store.
SELECT name FROM system.tables WHERE database = currentDatabase() AND name IN {names:Array(String)}
