-- Judges calibrated against people (issue 24, docs/agreement.md). Written by `prefloop calibrate --judge`
-- and by serve's drift check (src/labels/calibration/); read by pair_keys_judge (export gate) and
-- `prefloop calibrate --check`.

-- One row per calibration of a judge version (`<rubric id>@<rubric version>/<model>`) against the human
-- review labels of the same pairs; the latest per judge_version is current. agreement: share of items
-- where the judge's verdict (both orders combined) matches the human majority; kappa: Cohen's kappa of
-- the same, with a seeded bootstrap 95% interval; swap_consistency: share of items whose two orders
-- agree; position_bias: share of decided single-order answers that picked the first-shown answer,
-- minus 0.5; ties: share of items the judge called a tie; human_baseline_kappa: mean Cohen's kappa
-- between annotators on the same items. status: 'calibrated' (kappa at or above floor), 'under_floor',
-- or 'uncalibrated' (fewer than min_items labelled items).
CREATE TABLE IF NOT EXISTS ${db}.judge_calibrations ${on_cluster} (
    judge_version String,
    rubric_id LowCardinality(String),
    rubric_version String,
    judge_model String,
    measured_at DateTime64(3),
    items UInt32,
    agreement Nullable(Float64),
    kappa Nullable(Float64),
    ci_low Nullable(Float64),
    ci_high Nullable(Float64),
    swap_consistency Nullable(Float64),
    position_bias Nullable(Float64),
    ties Nullable(Float64),
    pointwise_items UInt32,
    pointwise_agreement Nullable(Float64),
    pointwise_kappa Nullable(Float64),
    human_baseline_kappa Nullable(Float64),
    floor Float64,
    status LowCardinality(String)
) ENGINE = ${engine:MergeTree()}
ORDER BY (rubric_id, judge_version, measured_at);

-- The drift check while serving (serve's schedule): per rubric, on the spot-checked judge pairs
-- (review_assignments stratum 'spot_check') labelled within the rolling window, the judge's agreement
-- with people (share of (item, annotator) labels equal to the judge's verdict) beside the human–human
-- agreement on the same items (share of agreeing annotator pairs, Fleiss' P̄). alarm = 1 when
-- judge_agreement < baseline_agreement − margin (with at least min_items items; with fewer the earlier
-- state stands). The latest row per rubric is the standing state: `prefloop calibrate --check` exits
-- non-zero while any alarm stands.
CREATE TABLE IF NOT EXISTS ${db}.judge_drift ${on_cluster} (
    measured_at DateTime64(3),
    rubric_id LowCardinality(String),
    judge_version String,
    window_items UInt32,
    judge_agreement Nullable(Float64),
    baseline_agreement Nullable(Float64),
    margin Float64,
    alarm UInt8
) ENGINE = ${engine:MergeTree()}
ORDER BY (rubric_id, measured_at);
