-- Scored LLM spans to export as rewards (offline RL, reward-model regression): each span's prompt and answer,
-- every prefloop rubric's latest score, and the combined reward Path A pairs on (span_rubric_scores: the
-- current rubric file's weighted rubrics that applied, signed so higher is better; 0 when none of them applied,
-- as POST /v1/score answers). reward_rubrics names the rubrics the reward combined: empty when none of the
-- current file's weighted rubrics scored the span (none applied, or it was scored under an older rubric file),
-- so a trainer can tell such a 0 from a measured one. Same parameters as export_kto.sql (sources and
-- min_margin do not apply).
WITH scored AS
(
    SELECT
        SpanId,
        toJSONString(mapFromArrays(groupArray(Name), groupArray(LatestScore))) AS scores,
        arraySort(groupArray(concat(Name, '@', Version))) AS rubric_versions
    FROM
    (
        SELECT
            SpanId,
            toString(Name) AS Name,
            argMax(RubricVersion, IngestedAt) AS Version,
            argMax(assumeNotNull(Score), IngestedAt) AS LatestScore
        FROM evaluations
        WHERE Score IS NOT NULL AND Origin = 'prefloop'
        GROUP BY SpanId, Name
    )
    GROUP BY SpanId
)
SELECT
    s.SpanId AS span_id,
    s.PromptHash AS prompt_hash,
    s.PromptClass AS prompt_class,
    s.PromptMessages AS prompt,
    s.Response AS completion,
    c.Combined AS reward,
    if(c.Applied = '', [], splitByChar(',', c.Applied)) AS reward_rubrics,
    e.scores AS scores,
    e.rubric_versions AS rubric_versions,
    toUnixTimestamp64Milli(s.Timestamp) AS created_ms
FROM llm_spans AS s
INNER JOIN scored AS e ON e.SpanId = s.SpanId
LEFT ANY JOIN span_rubric_scores AS c ON c.SpanId = s.SpanId
WHERE toUnixTimestamp64Milli(s.Timestamp) >= {since_ms:Int64}
    AND toUnixTimestamp64Milli(s.Timestamp) < {until_ms:Int64}
    AND ({prompt_class:String} = '' OR s.PromptClass = {prompt_class:String})
ORDER BY span_id
