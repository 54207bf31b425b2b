-- Pairs from session outcomes: a session that resolved against one that did not, holding the prompt
-- class fixed. Each session is represented by its opening LLM answer (the turn that set the session's
-- course); the prompt is the resolved session's. Within a class, resolved and unresolved sessions are
-- zipped oldest first (k-th with k-th), so each session is in at most one pair. margin = 1 (binary).
CREATE OR REPLACE VIEW ${db}.pairs_session ${on_cluster} AS
WITH openings AS
(
    SELECT
        SessionId,
        argMin(SpanId, (Timestamp, SpanId)) AS OpeningSpanId,
        argMin(PromptClass, (Timestamp, SpanId)) AS OpeningClass,
        min(Timestamp) AS StartedAt
    FROM ${db}.llm_spans
    WHERE SessionId != ''
    GROUP BY SessionId
),
sides AS
(
    SELECT
        o.OpeningClass AS PromptClass,
        arraySort(x -> (x.3, x.1), groupArrayIf(tuple(o.SessionId, o.OpeningSpanId, o.StartedAt, so.ResolvedBy), so.Resolved = 1)) AS resolved,
        arraySort(x -> (x.3, x.1), groupArrayIf(tuple(o.SessionId, o.OpeningSpanId, o.StartedAt, so.ResolvedBy), so.Resolved = 0)) AS unresolved
    FROM openings AS o
    INNER JOIN ${db}.session_outcomes AS so ON so.SessionId = o.SessionId
    GROUP BY o.OpeningClass
    HAVING length(resolved) > 0 AND length(unresolved) > 0
),
matched AS
(
    SELECT resolved[k + 1] AS good, unresolved[k + 1] AS bad
    FROM sides
    ARRAY JOIN range(least(length(resolved), length(unresolved))) AS k
)
SELECT
    'session' AS source,
    c.PromptHash AS prompt_hash,
    c.PromptClass AS prompt_class,
    c.PromptMessages AS prompt,
    c.Response AS chosen,
    r.Response AS rejected,
    c.SpanId AS chosen_span_id,
    r.SpanId AS rejected_span_id,
    toFloat64(1) AS margin,
    greatest(c.Timestamp, r.Timestamp) AS created,
    CAST(NULL, 'Nullable(Float64)') AS agreement,
    toJSONString(CAST(
        tuple(m.good.1, m.bad.1, m.good.4, m.bad.4, r.PromptHash),
        'Tuple(chosen_session_id String, rejected_session_id String, chosen_resolved_by String, rejected_resolved_by String, rejected_prompt_hash String)'
    )) AS metadata
FROM matched AS m
INNER JOIN ${db}.llm_spans AS c ON c.SpanId = m.good.2
INNER JOIN ${db}.llm_spans AS r ON r.SpanId = m.bad.2;
