-- Failure clusters (Path B), written by `prefloop cluster` (src/cluster/): the vectors it embedded, each
-- cluster it found with its name and exemplar, and each cluster's size per run (for trends).
-- Vectors keyed by the text's hash (hex SHA-256, 32 digits) and the model that made them, so no text is embedded twice per model.
-- The lexical model's name carries a fingerprint of the IDF it was weighted with (`lexical-v1/<hash>`).
CREATE TABLE IF NOT EXISTS ${db}.span_embeddings ${on_cluster} (
    TextHash String,
    Model LowCardinality(String),
    Vector Array(Float32),
    CreatedAt DateTime64(3) DEFAULT now64(3)
) ENGINE = ${engine:ReplacingMergeTree(CreatedAt)}
ORDER BY (Model, TextHash);

-- One row per cluster, replaced as runs update it: the id stays while the failure mode comes back
-- (matched by centroid similarity and member overlap), FirstSeen/LastSeen bound the runs that found it.
CREATE TABLE IF NOT EXISTS ${db}.clusters ${on_cluster} (
    ClusterId String,
    Name String,
    Terms Array(String),
    FailingRubrics Array(String),
    ExemplarTraceId String,
    ExemplarSpanId String,
    Model LowCardinality(String),
    Centroid Array(Float32),
    Size UInt32,
    FirstSeen DateTime64(3),
    LastSeen DateTime64(3),
    Diagnosis String DEFAULT '',
    ImmediateFix String DEFAULT '',
    UpdatedAt DateTime64(3) DEFAULT now64(3)
) ENGINE = ${engine:ReplacingMergeTree(UpdatedAt)}
ORDER BY ClusterId;

-- A cluster's size in each run, so `prefloop clusters` can tell new, growing, shrinking and gone apart.
CREATE TABLE IF NOT EXISTS ${db}.cluster_runs ${on_cluster} (
    RunId String,
    RanAt DateTime64(3),
    WindowStart DateTime64(9),
    WindowEnd DateTime64(9),
    ClusterId String,
    Size UInt32
) ENGINE = ${engine:ReplacingMergeTree(RanAt)}
ORDER BY (RunId, ClusterId);

-- Each member's membership strength and the run that filed it (cluster_members exists from 0102).
ALTER TABLE ${db}.cluster_members ${on_cluster}
    ADD COLUMN IF NOT EXISTS Probability Float64 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS RunId String DEFAULT '';
