-- The web UI's snapshot of the pair views (src/ui/pairSnapshot.ts). The pair views compute every pair from
-- the spans on each read, which takes seconds to tens of seconds on a big store; the overview reads this
-- copy instead, refreshed by serve when the store has changed (in the background on a big store, so a page
-- answers at once from the previous copy and says when it was taken). Texts are cut for the table and its
-- search. Each refresh writes its own SnapshotAt; ui_snapshots records the complete ones, and older copies
-- are deleted once a newer one is complete.
CREATE TABLE IF NOT EXISTS ${db}.ui_pairs ${on_cluster} (
    SnapshotAt DateTime64(3),
    pair_id String,
    source LowCardinality(String),
    margin Float64,
    agreement Nullable(Float64),
    band LowCardinality(String),
    created DateTime64(9),
    prompt String,
    chosen String,
    rejected String
) ENGINE = ${engine:MergeTree()}
ORDER BY (SnapshotAt, created, pair_id);

CREATE TABLE IF NOT EXISTS ${db}.ui_contradictions ${on_cluster} (
    SnapshotAt DateTime64(3),
    undirected_id String,
    resolution LowCardinality(String),
    kept_source LowCardinality(String),
    left_out_sources Array(String),
    prompt_class String,
    evidence String
) ENGINE = ${engine:MergeTree()}
ORDER BY (SnapshotAt, undirected_id);

-- One row per complete snapshot: when, what the store looked like (a fingerprint of its input tables' row
-- counts, to tell whether it changed since), how long the copy took, and how many rows it holds.
CREATE TABLE IF NOT EXISTS ${db}.ui_snapshots ${on_cluster} (
    SnapshotAt DateTime64(3),
    Fingerprint String,
    Seconds Float64,
    Pairs UInt64,
    Contradictions UInt64
) ENGINE = ${engine:MergeTree()}
ORDER BY SnapshotAt;
