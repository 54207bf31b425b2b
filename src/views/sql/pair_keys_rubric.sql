-- Path A, by keys: within one prompt class, a high-scoring answer (chosen) against a low-scoring one
-- (rejected). Answers are ranked by combined score (span_rubric_scores) and paired from the outside in
-- (best with worst, second best with second worst, ...), so each answer is in at most one pair and the
-- widest gaps come first; a pair is kept only when its gap exceeds the noise floor (ties and near-ties
-- are noise). The prompt is the chosen answer's. margin = combined score gap. Answers carry their
-- prompt hash, answer hash and time in the ranked arrays, so no join back to the spans is needed.
CREATE OR REPLACE VIEW ${db}.pair_keys_rubric ${on_cluster} AS
WITH ranked AS
(
    SELECT
        s.PromptClass AS PromptClass,
        -- (SpanId, Combined, NoiseFloor, Scores, Versions, PromptHash, ResponseHash, Timestamp), best first
        arraySort(x -> (-x.2, x.1), groupArray(tuple(s.SpanId, r.Combined, r.NoiseFloor, r.Scores, r.Versions, s.PromptHash, s.ResponseHash, s.Timestamp))) AS answers
    FROM ${db}.span_rubric_scores AS r
    INNER JOIN ${db}.llm_span_keys AS s ON s.SpanId = r.SpanId
    GROUP BY s.PromptClass
    HAVING length(answers) >= 2
),
matched AS
(
    SELECT PromptClass, answers[k + 1] AS high, answers[length(answers) - k] AS low
    FROM ranked
    ARRAY JOIN range(intDiv(length(answers), 2)) AS k
    WHERE high.2 - low.2 > greatest(high.3, low.3)
)
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
    toFloat64(high.2 - low.2) AS margin,
    greatest(high.8, low.8) AS created,
    CAST(NULL, 'Nullable(Float64)') AS agreement,
    concat(
        '{"chosen_score":', toString(high.2),
        ',"rejected_score":', toString(low.2),
        ',"noise_floor":', toString(greatest(high.3, low.3)),
        ',"chosen_scores":', high.4,
        ',"rejected_scores":', low.4,
        ',"rubric_versions":', high.5,
        ',"rejected_prompt_hash":', toJSONString(low.6), '}') AS metadata
FROM matched;
