-- Every cluster with its size in the latest run that found it and the run before, for the trend, and
-- the fix status of its exemplar (a hand-written or judged fix in cluster_fixes).
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
    c.Diagnosis AS diagnosis,
    if(f.ExemplarSpanId != '', 'written', if(c.ImmediateFix != '', 'proposed', 'none')) AS fixStatus,
    formatDateTime(c.FirstSeen, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS firstSeen,
    formatDateTime(c.LastSeen, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS lastSeen,
    length(r.Runs) AS runs
FROM clusters AS c FINAL
LEFT JOIN runs AS r ON r.ClusterId = c.ClusterId
LEFT JOIN (SELECT DISTINCT ClusterId, ExemplarSpanId FROM cluster_fixes) AS f
    ON f.ClusterId = c.ClusterId AND f.ExemplarSpanId = c.ExemplarSpanId
ORDER BY inLastRun DESC, c.Size DESC, c.ClusterId
