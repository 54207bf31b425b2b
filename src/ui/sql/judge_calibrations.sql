-- The latest calibration of each judge version against the human labels (table from migration 0241).
SELECT *
FROM judge_calibrations
ORDER BY measured_at DESC
LIMIT 1 BY judge_version
LIMIT 50
