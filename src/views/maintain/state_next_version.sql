-- A pass's first Version: above every Version written so far (a pass uses four: findings' markers and rows, the
-- merge's markers and rows), and time-based so that passes from different processes keep increasing.
SELECT greatest(
    toUInt64(toUnixTimestamp64Milli(now64(3))) * 10,
    (SELECT max(Version) FROM ${db}.pair_findings_state) + 4,
    (SELECT max(Version) FROM ${db}.pair_groups_state) + 4) AS v
