-- The maintained pairs' state (issue 28, src/views/README.md "Pairs at scale"), written by a maintenance pass
-- (src/views/maintain/maintainPairs.ts) for the units the rows inserted since its last watermark touched; the
-- views users query do not read it yet. Both tables replace a unit as a whole: a pass writes a Deleted row
-- (Version v) for every row the unit had, then the unit's current rows (Version v + 1), so a reader with FINAL
-- sees exactly the current rows. Everything here can be rebuilt from the data (`maintainPairs(store, {full})`).
--
-- Every source's findings (pairs_all's rows), per unit: a prompt hash for feedback, judge and cluster, a prompt
-- class for rubric and session. The same pair found twice by one source (two copies of the answers) is two
-- rows, as in pairs_all.
CREATE TABLE IF NOT EXISTS ${db}.pair_findings_state ${on_cluster} (
    unit String,
    source LowCardinality(String),
    pair_id String,
    undirected_id String,
    forward UInt8,
    prompt_hash String,
    prompt_class String,
    prompt_span_id String,
    chosen_span_id String,
    rejected_span_id String,
    chosen_hash FixedString(16),
    rejected_hash FixedString(16),
    fix_response String,
    margin Float64,
    created DateTime64(9),
    agreement Nullable(Float64),
    metadata String,
    Version UInt64,
    Deleted UInt8
) ENGINE = ${engine:ReplacingMergeTree(Version, Deleted)}
ORDER BY (source, unit, pair_id, prompt_span_id, chosen_span_id, rejected_span_id);

-- pair_groups' rows, per prompt hash, merged from the findings above.
CREATE TABLE IF NOT EXISTS ${db}.pair_groups_state ${on_cluster} (
    pair_id String,
    undirected_id String,
    source LowCardinality(String),
    sources Array(String),
    margin Float64,
    prompt_class String,
    prompt_hash String,
    prompt_span_id String,
    chosen_span_id String,
    rejected_span_id String,
    fix_response String,
    created DateTime64(9),
    agreement Nullable(Float64),
    metadata String,
    rubric_versions Array(String),
    rubric_gate String,
    contradiction UInt8,
    overridden_sources Array(String),
    sources_one_way Array(String),
    sources_other_way Array(String),
    span_ids_preferred Array(String),
    findings UInt64,
    evidence String,
    Version UInt64,
    Deleted UInt8
) ENGINE = ${engine:ReplacingMergeTree(Version, Deleted)}
ORDER BY (prompt_hash, undirected_id);

-- One row per maintenance pass: the watermark it brought the state up to (the store's clock when it began),
-- how many units it recomputed, whether it rebuilt everything, and how long it took.
CREATE TABLE IF NOT EXISTS ${db}.pair_maintenance ${on_cluster} (
    RanAt DateTime64(3) DEFAULT now64(3),
    Watermark DateTime64(3),
    PromptHashes UInt64,
    PromptClasses UInt64,
    Full UInt8,
    Seconds Float64
) ENGINE = ${engine:MergeTree()}
ORDER BY RanAt;
