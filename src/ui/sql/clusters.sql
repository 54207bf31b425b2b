-- The failure clusters, largest first: size, the size in each run oldest first (the trend), the exemplar's
-- texts, the diagnosis and the fix status (the status of its current fix in cluster_fixes: proposed, passed,
-- failed, approved, rejected; or 'none').
WITH runs AS
(
    SELECT ClusterId, groupArray(Size) AS Sizes
    FROM (SELECT ClusterId, Size, RanAt FROM cluster_runs FINAL ORDER BY RanAt)
    GROUP BY ClusterId
)
SELECT
    c.ClusterId AS id,
    c.Name AS name,
    c.Size AS size,
    r.Sizes AS sizes,
    c.FailingRubrics AS failingRubrics,
    c.ExemplarSpanId AS exemplarSpanId,
    c.Diagnosis AS diagnosis,
    if(f.Status != '', f.Status, if(c.ImmediateFix != '', 'proposed', 'none')) AS fixStatus,
    substring(t.PromptMessages, 1, 2000) AS exemplarPrompt,
    substring(t.Response, 1, 1000) AS exemplarResponse
FROM clusters AS c FINAL
LEFT JOIN runs AS r ON r.ClusterId = c.ClusterId
LEFT JOIN (SELECT ClusterId, argMax(Status, Timestamp) AS Status FROM cluster_fixes GROUP BY ClusterId) AS f
    ON f.ClusterId = c.ClusterId
LEFT ANY JOIN
(
    SELECT SpanId, PromptMessages, Response FROM llm_span_texts
    WHERE SpanId IN (SELECT ExemplarSpanId FROM clusters)
) AS t ON t.SpanId = c.ExemplarSpanId
ORDER BY c.Size DESC, c.ClusterId
LIMIT 50
