-- Small key/value settings the pair views read (latest value per key wins):
--   feedback_name              annotation name that carries thumbs (default user_feedback)
--   session_outcome_attribute  span attribute whose value says a session resolved (default session.outcome)
CREATE TABLE IF NOT EXISTS ${db}.pair_settings ${on_cluster} (
    Key LowCardinality(String),
    Value String,
    UpdatedAt DateTime64(3) DEFAULT now64(3)
) ENGINE = ${engine:ReplacingMergeTree(UpdatedAt)}
ORDER BY Key;
