-- Pairs from human feedback: two answers to the same prompt (PromptHash), one preferred (thumbs up,
-- or the accepted regenerate) and one rejected (thumbs down). Within a prompt the preferred and
-- rejected answers are paired round-robin (k-th up with k-th down, cycling the shorter list), so every
-- thumbed answer is used and a popular prompt yields max(ups, downs) pairs, not ups x downs.
-- margin = Net(chosen) - Net(rejected), in (0, 2]: 2 for unanimous single thumbs each way.
CREATE OR REPLACE VIEW ${db}.pairs_feedback ${on_cluster} AS
WITH sides AS
(
    SELECT
        PromptHash,
        -- (SpanId, Timestamp, Net, Agreement, Kind, Ups, Downs), oldest first
        arraySort(x -> (x.2, x.1), groupArrayIf(tuple(s.SpanId, s.Timestamp, p.Net, p.Agreement, p.Kind, p.Ups, p.Downs), p.Thumb > 0)) AS ups,
        arraySort(x -> (x.2, x.1), groupArrayIf(tuple(s.SpanId, s.Timestamp, p.Net, p.Agreement, p.Kind, p.Ups, p.Downs), p.Thumb < 0)) AS downs
    FROM ${db}.span_preferences AS p
    INNER JOIN ${db}.llm_spans AS s ON s.SpanId = p.SpanId
    GROUP BY s.PromptHash
    HAVING length(ups) > 0 AND length(downs) > 0
),
matched AS
(
    SELECT
        ups[(k % length(ups)) + 1] AS up,
        downs[(k % length(downs)) + 1] AS down
    FROM sides
    ARRAY JOIN range(greatest(length(ups), length(downs))) AS k
)
SELECT
    'feedback' AS source,
    c.PromptHash AS prompt_hash,
    c.PromptClass AS prompt_class,
    c.PromptMessages AS prompt,
    c.Response AS chosen,
    r.Response AS rejected,
    c.SpanId AS chosen_span_id,
    r.SpanId AS rejected_span_id,
    toFloat64(m.up.3 - m.down.3) AS margin,
    greatest(c.Timestamp, r.Timestamp) AS created,
    least(m.up.4, m.down.4) AS agreement,
    toJSONString(CAST(
        tuple(m.up.5, m.up.6, m.up.7, m.down.6, m.down.7, least(m.up.4, m.down.4)),
        'Tuple(chosen_kind String, chosen_ups UInt64, chosen_downs UInt64, rejected_ups UInt64, rejected_downs UInt64, annotator_agreement Float64)'
    )) AS metadata
FROM matched AS m
INNER JOIN ${db}.llm_spans AS c ON c.SpanId = m.up.1
INNER JOIN ${db}.llm_spans AS r ON r.SpanId = m.down.1;
