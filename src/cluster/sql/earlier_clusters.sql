-- Every cluster of earlier runs made with the same model, with its members, for matching identities, and
-- its judged name, diagnosis and fix (a cluster that keeps its id keeps them: the judge is not asked again).
SELECT
    c.ClusterId AS id,
    c.Name AS name,
    c.Diagnosis AS diagnosis,
    c.ImmediateFix AS immediateFix,
    c.Centroid AS centroid,
    formatDateTime(c.FirstSeen, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS firstSeen,
    m.Members AS members
FROM clusters AS c FINAL
LEFT JOIN
(
    SELECT ClusterId, groupArray(SpanId) AS Members FROM cluster_members FINAL GROUP BY ClusterId
) AS m ON m.ClusterId = c.ClusterId
WHERE c.Model = {model:String}
