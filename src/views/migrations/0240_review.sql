-- Human review (issue 24, docs/review.md): which pairs were sampled for which annotators, the labels they
-- gave (append-only history), a reviewer's resolution of a disputed pair, and each source's measured
-- agreement with the human majority. snake_case columns, as the review API and the pair views use.

-- One row per (pair, annotator): written by `prefloop review sample`. The pair's texts are copied at
-- sampling time, so a label always refers to what the annotator saw. a_is_chosen = 1 when answer A
-- (shown left, key 1) is the pair's chosen answer: each annotator's own random order, kept so position
-- bias can be measured. stratum names the sampling stratum (`<source>` or `<source>/low_margin`).
CREATE TABLE IF NOT EXISTS ${db}.review_assignments ${on_cluster} (
    sample_id String,
    pair_id String,
    annotator_id String,
    source LowCardinality(String),
    stratum String,
    a_is_chosen UInt8,
    prompt String,
    chosen String,
    rejected String,
    chosen_span_id String,
    rejected_span_id String,
    assigned_at DateTime64(3)
) ENGINE = ${engine:ReplacingMergeTree(assigned_at)}
ORDER BY (pair_id, annotator_id);

-- Every label ever given, never updated: the current label of (pair, annotator) is the latest row
-- (review_labels_current); 'retracted' (undo) means the annotator has no current label for the pair.
-- preferred is relative to the pair as it stands in preference_pairs ('chosen' = its chosen answer).
CREATE TABLE IF NOT EXISTS ${db}.review_labels ${on_cluster} (
    label_id String,
    pair_id String,
    annotator_id String,
    preferred LowCardinality(String),
    labelled_at DateTime64(3),
    via LowCardinality(String)
) ENGINE = ${engine:MergeTree()}
ORDER BY (pair_id, annotator_id, labelled_at, label_id);

-- A reviewer's decision on a review-band pair ('chosen' keeps it, 'rejected' flips it, 'void' drops it);
-- the latest per pair wins.
CREATE TABLE IF NOT EXISTS ${db}.review_resolutions ${on_cluster} (
    pair_id String,
    resolution LowCardinality(String),
    reviewer String,
    resolved_at DateTime64(3)
) ENGINE = ${engine:MergeTree()}
ORDER BY (pair_id, resolved_at);

-- Each measurement of a pair source's agreement with the human majority on the sampled pairs (Cohen's
-- kappa with a seeded bootstrap 95% interval); the latest row per source is current.
CREATE TABLE IF NOT EXISTS ${db}.source_agreement ${on_cluster} (
    measured_at DateTime64(3),
    source LowCardinality(String),
    items UInt32,
    kappa Nullable(Float64),
    ci_low Nullable(Float64),
    ci_high Nullable(Float64)
) ENGINE = ${engine:MergeTree()}
ORDER BY (source, measured_at);
