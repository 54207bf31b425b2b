-- How rubric scores become pairs (Path A): the lead's `serve` writes the rubric file's pairing
-- settings here at start-up (writeRubricPairConfig). Each write is one generation stamped with
-- UpdatedAt; views read only the latest generation, so a rubric dropped from the file stops pairing.
CREATE TABLE IF NOT EXISTS ${db}.rubric_pair_config ${on_cluster} (
    UpdatedAt DateTime64(3),
    RubricId LowCardinality(String),
    RubricVersion String,
    -- A score gap at or below this is noise: no pair.
    NoiseFloor Float64,
    HigherIsBetter UInt8,
    -- Weight in the combined score; 0 keeps the rubric out of Path A.
    Weight Float64,
    -- A task-completion rubric decides whether a session resolved (pairs_session).
    TaskCompletion UInt8 DEFAULT 0,
    -- Score at or past which a task-completion rubric counts as resolved.
    PassThreshold Float64 DEFAULT 0.5
) ENGINE = ${engine:ReplacingMergeTree(UpdatedAt)}
ORDER BY (UpdatedAt, RubricId, RubricVersion);
