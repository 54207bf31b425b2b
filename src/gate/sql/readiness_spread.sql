-- Readiness: prompt classes with two or more scored answers, and how many of them hold answers whose combined
-- rubric scores differ by more than the noise floor (where Path A can find a pair at all).
SELECT count() AS classes, countIf(spread > floor) AS separated
FROM
(
    SELECT k.PromptClass AS cls, max(s.Combined) - min(s.Combined) AS spread, avg(s.NoiseFloor) AS floor
    FROM span_rubric_scores AS s
    INNER JOIN llm_span_index AS k ON k.SpanId = s.SpanId
    GROUP BY cls
    HAVING count() >= 2
)
