-- A cluster a fix is filed under: whether it exists, its exemplar, name and diagnosis, and whether
-- {span_id} is one of its members (a fix pairs only against a member's answer).
SELECT
    c.ClusterId AS id,
    c.Name AS name,
    c.Diagnosis AS diagnosis,
    c.ExemplarSpanId AS exemplarSpanId,
    (SELECT count() FROM cluster_members WHERE ClusterId = {cluster_id:String} AND SpanId = {span_id:String})
        > 0 AS isMember
FROM clusters AS c FINAL
WHERE c.ClusterId = {cluster_id:String}
