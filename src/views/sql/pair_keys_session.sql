-- Pairs from session outcomes, by keys: a session that resolved against one that did not, holding
-- the prompt class fixed. Each session is represented by its opening LLM answer (the turn that set the
-- session's course); the prompt is the resolved session's. Within a class, resolved and unresolved
-- sessions are zipped oldest first (k-th with k-th), so each session is in at most one pair.
-- margin = 1 (binary). Each opening answer carries its own prompt hash, class and answer hash, so no
-- join back to the spans is needed after the zip.
CREATE OR REPLACE VIEW ${db}.pair_keys_session ${on_cluster} AS
WITH openings AS
(
    SELECT
        SessionId,
        argMin(SpanId, (Timestamp, SpanId)) AS OpeningSpanId,
        argMin(PromptClass, (Timestamp, SpanId)) AS OpeningClass,
        argMin(PromptHash, (Timestamp, SpanId)) AS OpeningPromptHash,
        argMin(ResponseHash, (Timestamp, SpanId)) AS OpeningResponseHash,
        min(Timestamp) AS StartedAt
    FROM ${db}.llm_span_keys
    WHERE SessionId != ''
    GROUP BY SessionId
),
sides AS
(
    SELECT
        o.OpeningClass AS PromptClass,
        -- (SessionId, OpeningSpanId, StartedAt, ResolvedBy, PromptHash, ResponseHash), oldest first
        arraySort(x -> (x.3, x.1), groupArrayIf(tuple(o.SessionId, o.OpeningSpanId, o.StartedAt, so.ResolvedBy, o.OpeningPromptHash, o.OpeningResponseHash), so.Resolved = 1)) AS resolved,
        arraySort(x -> (x.3, x.1), groupArrayIf(tuple(o.SessionId, o.OpeningSpanId, o.StartedAt, so.ResolvedBy, o.OpeningPromptHash, o.OpeningResponseHash), so.Resolved = 0)) AS unresolved
    FROM openings AS o
    INNER JOIN ${db}.session_outcomes AS so ON so.SessionId = o.SessionId
    GROUP BY o.OpeningClass
    HAVING length(resolved) > 0 AND length(unresolved) > 0
),
matched AS
(
    SELECT PromptClass, resolved[k + 1] AS good, unresolved[k + 1] AS bad
    FROM sides
    ARRAY JOIN range(least(length(resolved), length(unresolved))) AS k
)
SELECT
    'session' AS source,
    good.5 AS prompt_hash,
    PromptClass AS prompt_class,
    good.2 AS prompt_span_id,
    good.2 AS chosen_span_id,
    bad.2 AS rejected_span_id,
    good.6 AS chosen_hash,
    bad.6 AS rejected_hash,
    '' AS fix_response,
    toFloat64(1) AS margin,
    greatest(good.3, bad.3) AS created,
    CAST(NULL, 'Nullable(Float64)') AS agreement,
    toJSONString(CAST(
        tuple(good.1, bad.1, good.4, bad.4, bad.5),
        'Tuple(chosen_session_id String, rejected_session_id String, chosen_resolved_by String, rejected_resolved_by String, rejected_prompt_hash String)'
    )) AS metadata
FROM matched;
