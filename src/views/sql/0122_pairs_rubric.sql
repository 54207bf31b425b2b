-- Path A: within one prompt class, a high-scoring answer (chosen) against a low-scoring one
-- (rejected). Answers are ranked by combined score and paired from the outside in (best with worst,
-- second best with second worst, ...), so each answer is in at most one pair and the widest gaps come
-- first; a pair is kept only when its gap exceeds the noise floor (ties and near-ties are noise).
-- The prompt is the chosen answer's. margin = combined score gap.
CREATE OR REPLACE VIEW ${db}.pairs_rubric ${on_cluster} AS
WITH ranked AS
(
    SELECT
        s.PromptClass AS PromptClass,
        -- (SpanId, Combined, NoiseFloor, Scores, Versions), best first
        arraySort(x -> (-x.2, x.1), groupArray(tuple(s.SpanId, r.Combined, r.NoiseFloor, r.Scores, r.Versions))) AS answers
    FROM ${db}.span_rubric_scores AS r
    INNER JOIN ${db}.llm_spans AS s ON s.SpanId = r.SpanId
    GROUP BY s.PromptClass
    HAVING length(answers) >= 2
),
matched AS
(
    SELECT answers[k + 1] AS high, answers[length(answers) - k] AS low
    FROM ranked
    ARRAY JOIN range(intDiv(length(answers), 2)) AS k
    WHERE high.2 - low.2 > greatest(high.3, low.3)
)
SELECT
    'rubric' AS source,
    c.PromptHash AS prompt_hash,
    c.PromptClass AS prompt_class,
    c.PromptMessages AS prompt,
    c.Response AS chosen,
    r.Response AS rejected,
    c.SpanId AS chosen_span_id,
    r.SpanId AS rejected_span_id,
    toFloat64(m.high.2 - m.low.2) AS margin,
    greatest(c.Timestamp, r.Timestamp) AS created,
    CAST(NULL, 'Nullable(Float64)') AS agreement,
    concat(
        '{"chosen_score":', toString(m.high.2),
        ',"rejected_score":', toString(m.low.2),
        ',"noise_floor":', toString(greatest(m.high.3, m.low.3)),
        ',"chosen_scores":', m.high.4,
        ',"rejected_scores":', m.low.4,
        ',"rubric_versions":', m.high.5,
        ',"rejected_prompt_hash":', toJSONString(r.PromptHash), '}') AS metadata
FROM matched AS m
INNER JOIN ${db}.llm_spans AS c ON c.SpanId = m.high.1
INNER JOIN ${db}.llm_spans AS r ON r.SpanId = m.low.1;
