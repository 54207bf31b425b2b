-- Readiness: each judge version's latest calibration against people (judge_calibrations).
SELECT judge_version, argMax(status, measured_at) AS status, argMax(kappa, measured_at) AS kappa,
    argMax(items, measured_at) AS items
FROM judge_calibrations
GROUP BY judge_version
ORDER BY judge_version
