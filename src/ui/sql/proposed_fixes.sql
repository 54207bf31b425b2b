-- Path B fixes awaiting a person: each cluster's current fix (its newest cluster_fixes row) when it is
-- proposed, or re-scored (passed / failed) but not yet approved or rejected; with the exemplar's texts.
WITH current AS
(
    SELECT
        ClusterId,
        argMax(ExemplarSpanId, Timestamp) AS ExemplarSpanId,
        argMax(FixResponse, Timestamp) AS FixResponse,
        argMax(FixedBy, Timestamp) AS FixedBy,
        argMax(Status, Timestamp) AS Status,
        argMax(Note, Timestamp) AS Note
    FROM cluster_fixes
    GROUP BY ClusterId
)
SELECT
    f.ClusterId AS id,
    c.Name AS name,
    c.Size AS size,
    c.Diagnosis AS diagnosis,
    f.ExemplarSpanId AS exemplarSpanId,
    f.FixResponse AS proposedFix,
    f.FixedBy AS fixedBy,
    f.Status AS status,
    f.Note AS note,
    substring(t.PromptMessages, 1, 4000) AS exemplarPrompt,
    substring(t.Response, 1, 4000) AS exemplarResponse
FROM current AS f
LEFT ANY JOIN (SELECT * FROM clusters FINAL) AS c ON c.ClusterId = f.ClusterId
LEFT ANY JOIN
(
    SELECT SpanId, PromptMessages, Response FROM llm_span_texts
    WHERE SpanId IN (SELECT ExemplarSpanId FROM current)
) AS t ON t.SpanId = f.ExemplarSpanId
WHERE f.Status IN ('proposed', 'passed', 'failed')
ORDER BY c.Size DESC, f.ClusterId
LIMIT 50
