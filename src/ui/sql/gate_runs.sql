-- The latest release-gate runs (table from migration 0260): what was compared, the verdict, and the JSON
-- report (per-rubric deltas are read from it in code).
SELECT
    RunId,
    Mode,
    formatDateTime(StartedAt, '%Y-%m-%d %H:%i:%S', 'UTC') AS StartedAt,
    Verdict,
    BaselineModel,
    CandidateModel,
    JudgeVersion,
    substring(Report, 1, 200000) AS Report
FROM gate_runs FINAL
ORDER BY StartedAt DESC, RunId
LIMIT 20
