-- Synthetic verdicts of this judge version already stored for these answers (the latest per pair).
SELECT
    SpanIdA AS A,
    SpanIdB AS B,
    argMax(Winner, IngestedAt) AS Winner,
    argMax(Confidence, IngestedAt) AS Confidence,
    argMax(Flipped, IngestedAt) AS Flipped
FROM judge_verdicts
WHERE RubricId = {rubric:String} AND RubricVersion = {version:String} AND SpanIdA IN {ids:Array(String)}
GROUP BY SpanIdA, SpanIdB
