-- Contradictions left out of preference_pairs, and the KTO examples by label (counted on keys:
-- kto_examples without its texts).
SELECT
    (SELECT count() FROM pair_contradictions) AS contradictions,
    countIf(p.Thumb > 0) AS kto_desirable,
    countIf(p.Thumb < 0) AS kto_undesirable
FROM span_preferences AS p
INNER JOIN llm_span_keys AS s ON s.SpanId = p.SpanId
