-- The standing drift state of every rubric: its latest judge_drift row.
SELECT
    toString(rubric_id) AS rubric_id,
    judge_version,
    toString(measured_at) AS measured_at,
    window_items,
    judge_agreement,
    baseline_agreement,
    margin,
    alarm
FROM judge_drift
ORDER BY measured_at DESC
LIMIT 1 BY rubric_id
