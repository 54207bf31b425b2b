-- Each rubric version, the combined score, and each pairwise judge (as `judge:<rubric id>`: its
-- verdicts, a tie or an order flip separating nothing) against the human pairs (pair_keys_feedback: thumbs and
-- accepted regenerates): of the human pairs whose both answers it scored (scored), how many it scores
-- further apart than its noise floor (separated), and of those how many it orders as people did
-- (agreed); the combined score only where both answers were scored by the same rubrics. Live counts; refreshRubricAgreement turns them into intervals and stores them
-- (rubric_agreement). A rubric version's direction and noise floor come from the latest rubric file
-- that named it (higher is better, floor 0, when none did).
CREATE OR REPLACE VIEW ${db}.rubric_agreement_counts ${on_cluster} AS
WITH
    human AS
    (
        SELECT DISTINCT chosen_span_id AS c, rejected_span_id AS r
        FROM ${db}.pair_keys_feedback
    ),
    scores AS
    (
        SELECT SpanId, Name, RubricVersion, argMax(assumeNotNull(Score), IngestedAt) AS S
        FROM ${db}.evaluations
        WHERE Score IS NOT NULL AND Origin = 'prefloop'
        GROUP BY SpanId, Name, RubricVersion
    ),
    settings AS
    (
        SELECT RubricId, RubricVersion, argMax(HigherIsBetter, UpdatedAt) AS Hib, argMax(NoiseFloor, UpdatedAt) AS Floor
        FROM ${db}.rubric_pair_config
        WHERE RubricId != ''
        GROUP BY RubricId, RubricVersion
    ),
    (SELECT count() FROM human) AS human_pairs
SELECT
    sc.Name AS rubric_id,
    sc.RubricVersion AS rubric_version,
    human_pairs,
    count() AS scored,
    countIf(abs(sc.S - sr.S) > ifNull(st.Floor, 0)) AS separated,
    countIf(abs(sc.S - sr.S) > ifNull(st.Floor, 0) AND (sc.S > sr.S) = (ifNull(st.Hib, 1) = 1)) AS agreed
FROM human AS h
INNER JOIN scores AS sc ON sc.SpanId = h.c
INNER JOIN scores AS sr ON sr.SpanId = h.r AND sr.Name = sc.Name AND sr.RubricVersion = sc.RubricVersion
LEFT JOIN settings AS st ON st.RubricId = sc.Name AND st.RubricVersion = sc.RubricVersion
GROUP BY sc.Name, sc.RubricVersion
UNION ALL
SELECT
    any(k.RubricId) AS rubric_id,
    any(k.RubricVersion) AS rubric_version,
    human_pairs,
    count() AS scored,
    countIf(abs(c.Combined - r.Combined) > greatest(c.NoiseFloor, r.NoiseFloor)) AS separated,
    countIf(c.Combined - r.Combined > greatest(c.NoiseFloor, r.NoiseFloor)) AS agreed
FROM human AS h
INNER JOIN ${db}.span_rubric_scores AS c ON c.SpanId = h.c
INNER JOIN ${db}.span_rubric_scores AS r ON r.SpanId = h.r AND r.Applied = c.Applied
CROSS JOIN ${db}.rubric_combination AS k
HAVING any(k.RubricVersion) != ''
UNION ALL
SELECT
    concat('judge:', v.RubricId) AS rubric_id,
    v.RubricVersion AS rubric_version,
    human_pairs,
    count() AS scored,
    countIf(v.Decided) AS separated,
    countIf(v.Decided AND v.Chosen = h.c) AS agreed
FROM human AS h
INNER JOIN
(
    SELECT
        RubricId,
        RubricVersion,
        least(SpanIdA, SpanIdB) AS Lo,
        greatest(SpanIdA, SpanIdB) AS Hi,
        argMax(lower(Winner), IngestedAt) AS W,
        argMax(Flipped, IngestedAt) AS F,
        F = 0 AND W IN ('a', 'b') AS Decided,
        if(W = 'a', SpanIdA, SpanIdB) AS Chosen
    FROM ${db}.judge_verdicts
    GROUP BY RubricId, RubricVersion, SpanIdA, SpanIdB
) AS v ON v.Lo = least(h.c, h.r) AND v.Hi = greatest(h.c, h.r)
GROUP BY v.RubricId, v.RubricVersion;
