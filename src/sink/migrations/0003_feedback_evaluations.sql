-- Human feedback (thumbs, labels) and evaluation results (prefloop rubrics, upstream CODE/LLM
-- evaluators), each keyed so it joins to its span however late it arrives. ReplacingMergeTree on the
-- deterministic id: the same judgement delivered twice collapses to one row.
CREATE TABLE IF NOT EXISTS ${db}.feedback ${on_cluster} (
    Timestamp DateTime64(9),
    FeedbackId String,
    TraceId String,
    SpanId String,
    SessionId String,
    Name LowCardinality(String),
    Score Nullable(Float64),
    Label String,
    Explanation String,
    AnnotatorKind LowCardinality(String),
    AnnotatorId String,
    Identifier String,
    Origin LowCardinality(String),
    Metadata String,
    IngestedAt DateTime64(3) DEFAULT now64(3)
) ENGINE = ${engine:ReplacingMergeTree(IngestedAt)}
ORDER BY (TraceId, SessionId, SpanId, FeedbackId)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS ${db}.evaluations ${on_cluster} (
    Timestamp DateTime64(9),
    TraceId String,
    SpanId String,
    Name LowCardinality(String),
    Score Nullable(Float64),
    Label String,
    Explanation String,
    AnnotatorKind LowCardinality(String),
    Identifier String,
    RubricVersion String,
    Origin LowCardinality(String),
    Metadata String,
    IngestedAt DateTime64(3) DEFAULT now64(3)
) ENGINE = ${engine:ReplacingMergeTree(IngestedAt)}
ORDER BY (TraceId, SpanId, Name, Identifier, Origin)
SETTINGS non_replicated_deduplication_window = 10000;

-- Pairwise LLM-judge verdicts (RLAIF): A vs B asked in both orders.
CREATE TABLE IF NOT EXISTS ${db}.judge_verdicts ${on_cluster} (
    Timestamp DateTime64(9),
    RubricId LowCardinality(String),
    RubricVersion String,
    PromptHash String,
    TraceIdA String,
    SpanIdA String,
    TraceIdB String,
    SpanIdB String,
    Winner LowCardinality(String),
    Confidence Float64,
    Flipped UInt8,
    Explanation String,
    JudgeModel LowCardinality(String),
    IngestedAt DateTime64(3) DEFAULT now64(3)
) ENGINE = ${engine:ReplacingMergeTree(IngestedAt)}
ORDER BY (RubricId, RubricVersion, SpanIdA, SpanIdB)
SETTINGS non_replicated_deduplication_window = 10000;
