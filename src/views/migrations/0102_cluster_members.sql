-- Failure clusters (Path B), filled by the clustering step: which LLM spans fell into which cluster,
-- and which of them stand for the cluster (exemplars) when someone writes a fix.
CREATE TABLE IF NOT EXISTS ${db}.cluster_members ${on_cluster} (
    ClusterId String,
    ClusterLabel String,
    TraceId String,
    SpanId String,
    IsExemplar UInt8 DEFAULT 0,
    -- Distance to the cluster centre (smaller = more typical).
    Distance Float64 DEFAULT 0,
    ClusteredAt DateTime64(3) DEFAULT now64(3)
) ENGINE = ${engine:ReplacingMergeTree(ClusteredAt)}
ORDER BY (ClusterId, SpanId);
