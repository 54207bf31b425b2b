-- Every `prefloop gate` run (src/gate/): what it compared (the hold-out and its export manifest, by path and
-- hash; both models by URL and name; the judge), under which rubric file, the verdict, and the whole JSON
-- report, so a release decision can be traced back to its evidence. Mode 'offline' (hold-out prompts sent to
-- both models) or 'online' (two models already in production traffic over a window; no hold-out).
CREATE TABLE IF NOT EXISTS ${db}.gate_runs ${on_cluster} (
    RunId String,
    Mode LowCardinality(String),
    StartedAt DateTime64(3),
    FinishedAt DateTime64(3),
    Verdict LowCardinality(String),
    RubricFile String,
    RubricFileHash String,
    HoldoutPath String,
    HoldoutHash String,
    ManifestPath String,
    ManifestHash String,
    HoldoutRubricVersions Array(String),
    BaselineUrl String,
    BaselineModel String,
    CandidateUrl String,
    CandidateModel String,
    JudgeVersion String,
    Report String CODEC(ZSTD(3))
) ENGINE = ${engine:ReplacingMergeTree(FinishedAt)}
ORDER BY (StartedAt, RunId);
