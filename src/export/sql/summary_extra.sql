-- The KTO examples by label, counted on keys (kto_examples without its texts).
SELECT
    countIf(p.Thumb > 0) AS kto_desirable,
    countIf(p.Thumb < 0) AS kto_undesirable
FROM span_preferences AS p
INNER JOIN llm_span_keys AS s ON s.SpanId = p.SpanId
