-- The fixes of clusters ({cluster_ids}, or every cluster when empty), the latest per exemplar, newest
-- first: the first row of a cluster is its current fix, the others are the ones it replaced.
SELECT
    ClusterId AS clusterId,
    ExemplarSpanId AS exemplarSpanId,
    FixResponse AS fixResponse,
    FixedBy AS fixedBy,
    Status AS status,
    Scores AS scores,
    RequiredRubrics AS requiredRubrics,
    Reviewer AS reviewer,
    Note AS note,
    toUnixTimestamp64Milli(Timestamp) AS at
FROM cluster_fixes
WHERE empty({cluster_ids:Array(String)}) OR has({cluster_ids:Array(String)}, ClusterId)
ORDER BY Timestamp DESC
LIMIT 1 BY ClusterId, ExemplarSpanId
