-- Each rubric's standing drift state: the latest check of its judge against people on spot-checked items
-- (table from migration 0241; alarm = 1 while the judge trails the human–human baseline by more than margin).
SELECT
    rubric_id,
    judge_version,
    formatDateTime(measured_at, '%Y-%m-%d %H:%i', 'UTC') AS measured,
    window_items,
    judge_agreement,
    baseline_agreement,
    margin,
    alarm
FROM judge_drift
ORDER BY measured_at DESC
LIMIT 1 BY rubric_id
LIMIT 50
