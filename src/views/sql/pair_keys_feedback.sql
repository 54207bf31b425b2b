-- Pairs from human feedback, by keys: two answers to the same prompt (PromptHash), one preferred
-- (thumbs up, or the accepted regenerate) and one rejected (thumbs down). Within a prompt the
-- preferred and rejected answers are paired round-robin (k-th up with k-th down, cycling the shorter
-- list), so every thumbed answer is used and a popular prompt yields max(ups, downs) pairs, not
-- ups x downs. margin = Net(chosen) - Net(rejected), in (0, 2]: 2 for unanimous single thumbs each way.
-- Counts go into metadata as UInt32: JSON numbers (64-bit integers would be quoted strings).
-- Every pair_keys_<source> view has this column layout, with span ids and answer hashes in place of
-- texts; pairs_all unions them, and the texts are joined only onto the pairs finally kept
-- (preference_pairs) or shown (pairs_<source>).
-- are joined only onto the pairs finally kept (preference_pairs) or shown (pairs_feedback & co.).
--   prompt_span_id  the span whose prompt the pair carries;
--   chosen_hash / rejected_hash  SHA-256 (16 bytes) of the answers: pair identity and direction;
--   fix_response    a hand-written chosen answer (cluster fixes only; '' elsewhere).
CREATE OR REPLACE VIEW ${db}.pair_keys_feedback ${on_cluster} AS
WITH sides AS
(
    SELECT
        s.PromptHash AS PromptHash,
        -- (SpanId, Timestamp, Net, Agreement, Kind, Ups, Downs, PromptClass, ResponseHash), oldest first
        arraySort(x -> (x.2, x.1), groupArrayIf(tuple(s.SpanId, s.Timestamp, p.Net, p.Agreement, p.Kind, p.Ups, p.Downs, s.PromptClass, s.ResponseHash), p.Thumb > 0)) AS ups,
        arraySort(x -> (x.2, x.1), groupArrayIf(tuple(s.SpanId, s.Timestamp, p.Net, p.Agreement, p.Kind, p.Ups, p.Downs, s.PromptClass, s.ResponseHash), p.Thumb < 0)) AS downs
    FROM ${db}.span_preferences AS p
    INNER JOIN ${db}.llm_span_keys AS s ON s.SpanId = p.SpanId
    GROUP BY s.PromptHash
    HAVING length(ups) > 0 AND length(downs) > 0
),
matched AS
(
    SELECT
        PromptHash,
        ups[(k % length(ups)) + 1] AS up,
        downs[(k % length(downs)) + 1] AS down
    FROM sides
    ARRAY JOIN range(greatest(length(ups), length(downs))) AS k
)
SELECT
    'feedback' AS source,
    PromptHash AS prompt_hash,
    up.8 AS prompt_class,
    up.1 AS prompt_span_id,
    up.1 AS chosen_span_id,
    down.1 AS rejected_span_id,
    up.9 AS chosen_hash,
    down.9 AS rejected_hash,
    '' AS fix_response,
    toFloat64(up.3 - down.3) AS margin,
    greatest(up.2, down.2) AS created,
    CAST(least(up.4, down.4), 'Nullable(Float64)') AS agreement,
    toJSONString(CAST(
        tuple(up.5, up.6, up.7, down.6, down.7, least(up.4, down.4)),
        'Tuple(chosen_kind String, chosen_ups UInt32, chosen_downs UInt32, rejected_ups UInt32, rejected_downs UInt32, annotator_agreement Float64)'
    )) AS metadata
FROM matched;
