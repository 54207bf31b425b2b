-- Readiness: the latest agreement with people of the current combined score and of each current pairing rubric.
SELECT RubricId AS rubric, RubricVersion AS version, HumanPairs AS human_pairs, Agreement AS agreement,
    Lower AS lower, Floor AS floor, Status AS status
FROM rubric_agreement_current
WHERE (RubricId, RubricVersion) IN (
    SELECT RubricId, RubricVersion FROM rubric_combination
    UNION ALL
    SELECT RubricId, RubricVersion FROM rubric_config_current
)
ORDER BY rubric
