-- The canary gate's data: every LLM span of the window answered by either model (the gate's and synth's own
-- answers left out: they are not production traffic), with its prompt class and the latest score of each rubric at the version the gate scores with.
-- One row per (span, rubric); a span no current rubric scored gives no row.
SELECT
    s.ModelName AS model,
    s.PromptClass AS prompt_class,
    s.SpanId AS span_id,
    toString(e.Name) AS rubric,
    e.LatestScore AS score
FROM
(
    SELECT SpanId, ModelName, PromptClass
    FROM llm_spans
    WHERE Timestamp >= fromUnixTimestamp64Milli({since_ms:Int64})
        AND Timestamp < fromUnixTimestamp64Milli({until_ms:Int64})
        AND ModelName IN ({baseline:String}, {candidate:String})
        AND ServiceName NOT IN ({gate_service:String}, {synth_service:String})
) AS s
INNER JOIN
(
    SELECT SpanId, Name, argMax(assumeNotNull(Score), IngestedAt) AS LatestScore
    FROM evaluations
    WHERE Score IS NOT NULL AND has({versions:Array(String)}, concat(toString(Name), '@', RubricVersion))
    GROUP BY SpanId, Name
) AS e ON e.SpanId = s.SpanId
ORDER BY s.SpanId, rubric
