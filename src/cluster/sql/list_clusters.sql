-- Every cluster with its size in the latest run that found it and the run before, for the trend, and
-- its current fix (the newest row of cluster_fixes for it): text, author, status, rubric scores. A judged
-- fix never re-scored (no rubric file at hand) shows as `proposed`.
WITH runs AS
(
    SELECT ClusterId, groupArray(Size) AS Sizes, groupArray(RunId) AS Runs
    FROM (SELECT ClusterId, RunId, Size, RanAt FROM cluster_runs FINAL ORDER BY RanAt DESC)
    GROUP BY ClusterId
),
last_run AS (SELECT argMax(RunId, RanAt) AS RunId FROM cluster_runs)
SELECT
    c.ClusterId AS id,
    c.Name AS name,
    c.Size AS size,
    r.Sizes[2] AS previousSize,
    has(r.Runs, (SELECT RunId FROM last_run)) AS inLastRun,
    c.FailingRubrics AS failingRubrics,
    c.ExemplarSpanId AS exemplarSpanId,
    t.PromptMessages AS exemplarPrompt,
    t.Response AS exemplarResponse,
    c.Diagnosis AS diagnosis,
    if(f.CurrentStatus != '', f.CurrentStatus, if(c.ImmediateFix != '', 'proposed', 'none')) AS fixStatus,
    if(f.CurrentStatus != '', f.CurrentFix, c.ImmediateFix) AS fixResponse,
    f.CurrentFixedBy AS fixedBy,
    if(f.CurrentStatus != '', f.CurrentScores, '[]') AS fixScores,
    formatDateTime(c.FirstSeen, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS firstSeen,
    formatDateTime(c.LastSeen, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS lastSeen,
    length(r.Runs) AS runs
FROM clusters AS c FINAL
LEFT JOIN runs AS r ON r.ClusterId = c.ClusterId
-- Only the exemplars' texts are read (not every LLM span's).
LEFT ANY JOIN
(
    SELECT SpanId, PromptMessages, Response
    FROM otel_traces
    WHERE SpanId IN (SELECT ExemplarSpanId FROM clusters)
) AS t ON t.SpanId = c.ExemplarSpanId
LEFT JOIN
(
    SELECT
        ClusterId,
        argMax(Status, Timestamp) AS CurrentStatus,
        argMax(FixResponse, Timestamp) AS CurrentFix,
        argMax(FixedBy, Timestamp) AS CurrentFixedBy,
        argMax(Scores, Timestamp) AS CurrentScores
    FROM cluster_fixes
    WHERE Status != 'replaced'
    GROUP BY ClusterId
) AS f ON f.ClusterId = c.ClusterId
ORDER BY inLastRun DESC, c.Size DESC, c.ClusterId
