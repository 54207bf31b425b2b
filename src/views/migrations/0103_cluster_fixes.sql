-- A fix for a failure-cluster exemplar: the answer it should have given, either written by hand
-- (FixResponse) or taken from a good span (FixSpanId). pairs_cluster pairs it (chosen) against the
-- exemplar (rejected). Keyed by exemplar so a corrected fix replaces the earlier one.
CREATE TABLE IF NOT EXISTS ${db}.cluster_fixes ${on_cluster} (
    ClusterId String,
    ExemplarSpanId String,
    FixSpanId String DEFAULT '',
    FixResponse String DEFAULT '',
    FixedBy String DEFAULT '',
    Note String DEFAULT '',
    Timestamp DateTime64(3) DEFAULT now64(3)
) ENGINE = ${engine:ReplacingMergeTree(Timestamp)}
ORDER BY (ClusterId, ExemplarSpanId);
