-- pair_keys_judge for the given prompt hashes only (issue 28's maintained pairs, src/views/README.md "Pairs at
-- scale"): the same rule and columns, reading the verdicts that name the prompts' spans and only the spans
-- those verdicts name. Kept equal to `pair_keys_judge WHERE prompt_hash IN {hashes}` by
-- test/integration/views/judgeClusterFindings.test.ts; a change to pair_keys_judge.sql goes here too.
-- Not a view: run as a query with {hashes:Array(String)}.
WITH
    unit_span_ids AS
    (
        SELECT SpanId FROM ${db}.llm_span_index WHERE PromptHash IN {hashes:Array(String)}
    ),
    verdicts AS
    (
        SELECT
            RubricId,
            RubricVersion,
            SpanIdA,
            SpanIdB,
            argMax(lower(Winner), IngestedAt) AS Winner,
            argMax(Confidence, IngestedAt) AS Confidence,
            argMax(Flipped, IngestedAt) AS Flipped,
            argMax(JudgeModel, IngestedAt) AS JudgeModel,
            argMax(Timestamp, IngestedAt) AS Timestamp,
            argMax(Synthetic, IngestedAt) AS Synthetic
        FROM ${db}.judge_verdicts
        WHERE SpanIdA IN (SELECT SpanId FROM unit_span_ids) OR SpanIdB IN (SELECT SpanId FROM unit_span_ids)
        GROUP BY RubricId, RubricVersion, SpanIdA, SpanIdB
    ),
    decided AS
    (
        SELECT
            if(Winner = 'a', SpanIdA, SpanIdB) AS ChosenSpanId,
            if(Winner = 'a', SpanIdB, SpanIdA) AS RejectedSpanId,
            *
        FROM verdicts
        WHERE Flipped = 0 AND Winner IN ('a', 'b')
    ),
    -- llm_span_keys for the spans these verdicts name (the rejected answer may be another prompt's).
    keys AS
    (
        SELECT TraceId, SpanId, Timestamp, SessionId, PromptHash, PromptClass, ResponseHash
        FROM ${db}.llm_span_index
        WHERE SpanId IN (SELECT arrayJoin([SpanIdA, SpanIdB]) FROM verdicts)
        LIMIT 1 BY TraceId, SpanId
    )
SELECT
    'judge' AS source,
    c.PromptHash AS prompt_hash,
    c.PromptClass AS prompt_class,
    c.SpanId AS prompt_span_id,
    c.SpanId AS chosen_span_id,
    r.SpanId AS rejected_span_id,
    c.ResponseHash AS chosen_hash,
    r.ResponseHash AS rejected_hash,
    '' AS fix_response,
    toFloat64(d.Confidence) AS margin,
    d.Timestamp AS created,
    CAST(NULL, 'Nullable(Float64)') AS agreement,
    toJSONString(CAST(
        tuple(d.Confidence, d.RubricId, d.RubricVersion, d.JudgeModel,
            if(d.Synthetic = 1, 'synthetic', if(jc.JudgeVersion != '', if(jc.Status = 'calibrated', 'agrees', jc.Status), if(a.Status = '', 'unknown', a.Status))), d.Synthetic = 1,
            jc.Status, jc.Kappa, jc.Baseline),
        'Tuple(judge_confidence Float64, judge_rubric String, rubric_version String, judge_model String, gate String, synthetic Bool, judge_calibration String, judge_kappa Nullable(Float64), judge_human_baseline Nullable(Float64))'
    )) AS metadata
FROM decided AS d
LEFT JOIN ${db}.rubric_agreement_current AS a
    ON a.RubricId = concat('judge:', d.RubricId) AND a.RubricVersion = d.RubricVersion
LEFT JOIN
(
    SELECT
        judge_version AS JudgeVersion,
        argMax(status, measured_at) AS Status,
        argMax(kappa, measured_at) AS Kappa,
        argMax(human_baseline_kappa, measured_at) AS Baseline
    FROM ${db}.judge_calibrations
    GROUP BY judge_version
) AS jc ON jc.JudgeVersion = concat(d.RubricId, '@', d.RubricVersion, '/', d.JudgeModel)
INNER JOIN keys AS c ON c.SpanId = d.ChosenSpanId
INNER JOIN keys AS r ON r.SpanId = d.RejectedSpanId
WHERE c.PromptHash IN {hashes:Array(String)}
