-- The version of the combined score Path A pairs on (span_rubric_scores): the rubric versions of the
-- current rubric file that feed it, with their weights, e.g. `helpful@2*2 toxicity@1*1`. Its agreement
-- with people is measured under this name, so a new weighting is measured afresh.
CREATE OR REPLACE VIEW ${db}.rubric_combination ${on_cluster} AS
SELECT '(combined)' AS RubricId, Combination AS RubricVersion
FROM
(
    SELECT arrayStringConcat(arraySort(groupArray(concat(c.RubricId, '@', c.RubricVersion, '*', toString(c.Weight)))), ' ') AS Combination
    FROM ${db}.rubric_config_current AS c
    WHERE c.Weight > 0
);
