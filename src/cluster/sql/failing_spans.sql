-- The failing LLM spans of a window, one row each, with what failed: rubrics whose latest result missed
-- its threshold (only those named in {rubrics}, or all when it is empty), a human thumbs-down, or a lost
-- pairwise judge verdict. The gate's and synth's own answers are not production traffic: never failures.
WITH
    rubric_failures AS
    (
        -- The scorer records whether a result met the rubric file's threshold (metadata "passed").
        SELECT SpanId, groupUniqArray(toString(Name)) AS Failed
        FROM
        (
            SELECT SpanId, Name, argMax(Metadata, IngestedAt) AS Meta
            FROM evaluations
            GROUP BY SpanId, Name, RubricVersion
        )
        WHERE JSONHas(Meta, 'passed') AND NOT JSONExtractBool(Meta, 'passed')
            AND (empty({rubrics:Array(String)}) OR has({rubrics:Array(String)}, toString(Name)))
        GROUP BY SpanId
    ),
    thumbs_down AS (SELECT SpanId FROM span_thumbs WHERE Thumb < 0),
    judge_lost AS
    (
        SELECT if(Winner = 'a', SpanIdB, SpanIdA) AS SpanId
        FROM
        (
            SELECT SpanIdA, SpanIdB, argMax(lower(Winner), IngestedAt) AS Winner
            FROM judge_verdicts
            WHERE Flipped = 0 AND Synthetic = 0
            GROUP BY RubricId, RubricVersion, SpanIdA, SpanIdB
        )
        WHERE Winner IN ('a', 'b')
    )
SELECT
    s.TraceId AS traceId,
    s.SpanId AS spanId,
    s.Response AS text,
    arrayConcat(
        ifNull(r.Failed, []),
        if(s.SpanId IN (SELECT SpanId FROM thumbs_down), ['thumbs_down'], []),
        if(s.SpanId IN (SELECT SpanId FROM judge_lost), ['judge_lost'], [])
    ) AS failures
FROM llm_spans AS s
LEFT JOIN rubric_failures AS r ON r.SpanId = s.SpanId
WHERE s.Timestamp >= fromUnixTimestamp64Milli({since_ms:Int64})
    AND s.Timestamp < fromUnixTimestamp64Milli({until_ms:Int64})
    AND s.ServiceName NOT IN ({own_services:Array(String)})
    AND notEmpty(failures)
ORDER BY s.Timestamp, s.SpanId
