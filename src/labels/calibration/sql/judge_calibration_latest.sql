-- The latest calibration of every judge version (judge_calibrations), newest first.
SELECT *
FROM judge_calibrations
ORDER BY measured_at DESC
LIMIT 1 BY judge_version
