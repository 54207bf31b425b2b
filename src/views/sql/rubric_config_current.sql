-- The rubric pairing settings of the latest write (one generation per serve start-up). Each write
-- also stores a marker row (RubricId = '') so that a rubric file with no rubrics is a generation too.
CREATE OR REPLACE VIEW ${db}.rubric_config_current ${on_cluster} AS
SELECT RubricId, RubricVersion, NoiseFloor, HigherIsBetter, Weight, TaskCompletion, PassThreshold
FROM ${db}.rubric_pair_config
WHERE UpdatedAt = (SELECT max(UpdatedAt) FROM ${db}.rubric_pair_config) AND RubricId != ''
LIMIT 1 BY RubricId, RubricVersion;
