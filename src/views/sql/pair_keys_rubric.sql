-- Path A, by keys: the rubric matches (rubric_matches: best against worst within a prompt class) whose
-- combined-score gap exceeds the noise floor (ties and near-ties are noise, see rubric_review_pairs).
-- The prompt is the chosen answer's. margin = combined score gap.
-- metadata.gate says whether the combined score may feed export: 'agrees' when its latest measured
-- agreement with human pairs (rubric_agreement_current, under the current rubric_combination) has a
-- Wilson lower bound above the floor, 'below_floor' when measured and not, 'unknown' when never
-- measured or it separated no human pair. `prefloop export` leaves all but 'agrees' out by default.
CREATE OR REPLACE VIEW ${db}.pair_keys_rubric ${on_cluster} AS
WITH ifNull(nullIf((
        SELECT any(a.Status)
        FROM ${db}.rubric_agreement_current AS a
        INNER JOIN ${db}.rubric_combination AS k ON a.RubricId = k.RubricId AND a.RubricVersion = k.RubricVersion
    ), ''), 'unknown') AS gate
SELECT
    'rubric' AS source,
    high.6 AS prompt_hash,
    PromptClass AS prompt_class,
    high.1 AS prompt_span_id,
    high.1 AS chosen_span_id,
    low.1 AS rejected_span_id,
    high.7 AS chosen_hash,
    low.7 AS rejected_hash,
    '' AS fix_response,
    toFloat64(gap) AS margin,
    greatest(high.8, low.8) AS created,
    CAST(NULL, 'Nullable(Float64)') AS agreement,
    concat(
        '{"chosen_score":', toString(round(high.2, 9)),
        ',"rejected_score":', toString(round(low.2, 9)),
        ',"noise_floor":', toString(round(noise_floor, 9)),
        ',"chosen_scores":', high.4,
        ',"rejected_scores":', low.4,
        ',"rubric_versions":', high.5,
        ',"rejected_prompt_hash":', toJSONString(low.6),
        ',"gate":', toJSONString(gate), '}') AS metadata
FROM ${db}.rubric_matches
WHERE gap > noise_floor;
