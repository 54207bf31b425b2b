-- RLAIF, by keys: pairwise LLM-judge verdicts. The judge is asked both orders; Flipped = 1 means its
-- answer changed with the order (position bias), and a tie prefers nothing: neither is a pair. The
-- latest verdict per (rubric, version, A, B) counts. margin = the judge's confidence. Verdicts name
-- span ids, joined to llm_span_keys. metadata.gate is the judge version's agreement with human pairs
-- (rubric_agreement_current, as `judge:<rubric id>`): export takes only 'agrees', as for rubric pairs.
-- A judge version (`<rubric id>@<rubric version>/<model>`) calibrated against the human review labels
-- (`prefloop calibrate --judge`, judge_calibrations, latest per version) is gated by that instead:
-- 'agrees' when 'calibrated', else its status ('under_floor', 'uncalibrated'); metadata carries the
-- calibration it was gated on (judge_calibration, judge_kappa, judge_human_baseline).
-- Verdicts on `prefloop synth` answers (Synthetic = 1) carry metadata.synthetic = true and the gate
-- 'synthetic': not production traffic, so export takes them only when asked (--include-synthetic).
CREATE OR REPLACE VIEW ${db}.pair_keys_judge ${on_cluster} AS
WITH verdicts AS
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
INNER JOIN ${db}.llm_span_keys AS c ON c.SpanId = d.ChosenSpanId
INNER JOIN ${db}.llm_span_keys AS r ON r.SpanId = d.RejectedSpanId;
