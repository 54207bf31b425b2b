-- The latest stored agreement with people (for `prefloop pairs`) of every rubric version the current
-- rubric file pairs with, of every pairwise judge version (`judge:<id>`, gating its own pairs), and of
-- the current combined score (the one that gates Path A pairs).
SELECT
    a.RubricId AS rubric_id,
    a.RubricVersion AS rubric_version,
    a.RubricId = '(combined)' AND a.RubricVersion = (SELECT any(RubricVersion) FROM rubric_combination) AS current_combination,
    toUnixTimestamp64Milli(a.MeasuredAt) AS measured_ms,
    a.HumanPairs AS human_pairs,
    a.Scored AS scored,
    a.Separated AS separated,
    a.Agreed AS agreed,
    a.Agreement AS agreement,
    a.Lower AS lower,
    a.Upper AS upper,
    a.Floor AS floor,
    a.Status AS status
FROM rubric_agreement_current AS a
WHERE current_combination
    OR startsWith(a.RubricId, 'judge:')
    OR (a.RubricId, a.RubricVersion) IN (SELECT RubricId, RubricVersion FROM rubric_config_current)
ORDER BY a.RubricId = '(combined)', a.RubricId, a.RubricVersion
