-- The latest calibration of each judge version against the human labels (table from migration 0241).
SELECT
    judge_version,
    formatDateTime(measured_at, '%Y-%m-%d %H:%i', 'UTC') AS measured,
    items,
    agreement,
    kappa,
    ci_low,
    ci_high,
    swap_consistency,
    position_bias,
    human_baseline_kappa,
    status
FROM judge_calibrations
ORDER BY measured_at DESC
LIMIT 1 BY judge_version
LIMIT 50
