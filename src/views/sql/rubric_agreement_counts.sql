-- Each rubric version, the combined score, and each pairwise judge (as `judge:<rubric id>`: its
-- verdicts, a tie or an order flip separating nothing) against the human pairs (pair_keys_feedback:
-- thumbs and accepted regenerates): of the human pairs whose both answers it scored (scored), how many
-- it scores further apart than its noise floor (separated), and of those how many it orders as people
-- did (agreed); the combined score only where both answers were scored by the same rubrics. Live
-- counts; refreshRubricAgreement turns them into intervals and stores them (rubric_agreement). A
-- rubric version's direction and noise floor come from the latest rubric file that named it (higher
-- is better, floor 0, when none did). Each answer's scores are looked up once (ARRAY JOIN over the two
-- sides), not once per side.
CREATE OR REPLACE VIEW ${db}.rubric_agreement_counts ${on_cluster} AS
WITH
    human AS
    (
        SELECT DISTINCT chosen_span_id AS c, rejected_span_id AS r
        FROM ${db}.pair_keys_feedback
    ),
    sides AS
    (
        SELECT c, r, side.1 AS SpanId, side.2 AS IsChosen
        FROM human
        ARRAY JOIN [(c, 1), (r, 0)] AS side
    ),
    settings AS
    (
        SELECT RubricId, RubricVersion, argMax(HigherIsBetter, UpdatedAt) AS Hib, argMax(NoiseFloor, UpdatedAt) AS Floor
        FROM ${db}.rubric_pair_config
        WHERE RubricId != ''
        GROUP BY RubricId, RubricVersion
    ),
    per_rubric AS
    (
        SELECT
            e.Name AS Name,
            e.RubricVersion AS RubricVersion,
            anyIf(e.S, s.IsChosen = 1) AS Sc,
            anyIf(e.S, s.IsChosen = 0) AS Sr
        FROM sides AS s
        INNER JOIN
        (
            SELECT SpanId, Name, RubricVersion, argMax(assumeNotNull(Score), IngestedAt) AS S
            FROM ${db}.evaluations
            WHERE Score IS NOT NULL AND Origin = 'prefloop'
            GROUP BY SpanId, Name, RubricVersion
        ) AS e ON e.SpanId = s.SpanId
        GROUP BY s.c, s.r, e.Name, e.RubricVersion
        HAVING countIf(s.IsChosen = 1) > 0 AND countIf(s.IsChosen = 0) > 0
    ),
    per_combined AS
    (
        SELECT
            anyIf(x.Combined, s.IsChosen = 1) AS Cc,
            anyIf(x.Combined, s.IsChosen = 0) AS Cr,
            max(x.NoiseFloor) AS Floor
        FROM sides AS s
        INNER JOIN ${db}.span_rubric_scores AS x ON x.SpanId = s.SpanId
        GROUP BY s.c, s.r
        HAVING countIf(s.IsChosen = 1) > 0 AND countIf(s.IsChosen = 0) > 0 AND uniqExact(x.Applied) = 1
    )
SELECT
    p.Name AS rubric_id,
    p.RubricVersion AS rubric_version,
    count() AS scored,
    countIf(abs(p.Sc - p.Sr) > ifNull(st.Floor, 0)) AS separated,
    countIf(abs(p.Sc - p.Sr) > ifNull(st.Floor, 0) AND (p.Sc > p.Sr) = (ifNull(st.Hib, 1) = 1)) AS agreed
FROM per_rubric AS p
LEFT JOIN settings AS st ON st.RubricId = p.Name AND st.RubricVersion = p.RubricVersion
GROUP BY p.Name, p.RubricVersion
UNION ALL
SELECT
    any(k.RubricId) AS rubric_id,
    any(k.RubricVersion) AS rubric_version,
    count() AS scored,
    countIf(abs(p.Cc - p.Cr) > p.Floor) AS separated,
    countIf(p.Cc - p.Cr > p.Floor) AS agreed
FROM per_combined AS p
CROSS JOIN ${db}.rubric_combination AS k
HAVING any(k.RubricVersion) != ''
UNION ALL
SELECT
    concat('judge:', v.RubricId) AS rubric_id,
    v.RubricVersion AS rubric_version,
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
