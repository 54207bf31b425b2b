-- Each span's combined rubric score for Path A: the latest result of every rubric (at the version in the
-- current rubric file, Weight > 0) that scored the span, signed so higher is better, weighted. A rubric
-- that does not apply to a span gives no result, so spans differ in which rubrics scored them: `Applied`
-- names those rubrics, and only spans with the same `Applied` are compared (rubric_matches), never two
-- spans on a different basis. NoiseFloor combines the rubrics' floors with the same weights.
CREATE OR REPLACE VIEW ${db}.span_rubric_scores ${on_cluster} AS
SELECT
    e.SpanId AS SpanId,
    sum(c.Weight * if(c.HigherIsBetter = 1, e.LatestScore, -e.LatestScore)) / sum(c.Weight) AS Combined,
    sum(c.Weight * c.NoiseFloor) / sum(c.Weight) AS NoiseFloor,
    arrayStringConcat(arraySort(groupArray(toString(e.Name))), ',') AS Applied,
    toJSONString(mapFromArrays(groupArray(e.Name), groupArray(e.LatestScore))) AS Scores,
    toJSONString(mapFromArrays(groupArray(e.Name), groupArray(e.RubricVersion))) AS Versions
FROM
(
    SELECT SpanId, Name, RubricVersion, argMax(assumeNotNull(Score), IngestedAt) AS LatestScore
    FROM ${db}.evaluations
    WHERE Score IS NOT NULL
    GROUP BY SpanId, Name, RubricVersion
) AS e
INNER JOIN ${db}.rubric_config_current AS c ON c.RubricId = e.Name AND c.RubricVersion = e.RubricVersion
WHERE c.Weight > 0
GROUP BY e.SpanId;
