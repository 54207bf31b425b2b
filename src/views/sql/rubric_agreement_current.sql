-- The latest measurement of each rubric version's agreement with people (see the rubric_agreement table).
CREATE OR REPLACE VIEW ${db}.rubric_agreement_current ${on_cluster} AS
SELECT
    RubricId,
    RubricVersion,
    MeasuredAt,
    HumanPairs,
    Scored,
    Separated,
    Agreed,
    Agreement,
    Lower,
    Upper,
    Floor,
    Status
FROM ${db}.rubric_agreement
ORDER BY MeasuredAt DESC
LIMIT 1 BY RubricId, RubricVersion;
