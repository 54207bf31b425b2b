-- Human thumbs, one row per distinct judgement, with the span it applies to resolved:
--   span_id given            -> that span;
--   trace_id only            -> the trace's last LLM span (the answer the user saw), found at query
--                               time so feedback that arrives before or long after its spans still lands;
--   session_id only          -> the session as a whole (TargetSpanId = '', read by session_outcomes).
-- Thumb: a recognised label wins, else the score (> 0 up, <= 0 down); anything else is not a thumb.
CREATE OR REPLACE VIEW ${db}.feedback_resolved ${on_cluster} AS
WITH coalesce(
        nullIf((SELECT argMax(Value, UpdatedAt) FROM ${db}.pair_settings WHERE Key = 'feedback_name'), ''),
        'user_feedback') AS feedback_name
SELECT
    f.FeedbackId AS FeedbackId,
    f.Timestamp AS Timestamp,
    f.TraceId AS TraceId,
    f.SessionId AS SessionId,
    f.Origin AS Origin,
    -- Anonymous feedback counts as its own voter.
    if(f.AnnotatorId = '', f.FeedbackId, f.AnnotatorId) AS Voter,
    multiIf(
        lower(f.Label) IN ('thumbs_up', 'up', 'positive', 'good'), 1,
        lower(f.Label) IN ('thumbs_down', 'down', 'negative', 'bad'), -1,
        f.Score IS NULL, 0,
        assumeNotNull(f.Score) > 0, 1,
        -1) AS Thumb,
    multiIf(f.SpanId != '', 'span', f.TraceId != '', 'trace', 'session') AS TargetKind,
    multiIf(f.SpanId != '', f.SpanId, f.TraceId != '', last_span.LastSpanId, '') AS TargetSpanId
FROM
(
    -- The same judgement delivered twice has the same FeedbackId: keep one.
    SELECT *
    FROM ${db}.feedback
    WHERE AnnotatorKind = 'HUMAN' AND Name = feedback_name
    ORDER BY IngestedAt DESC
    LIMIT 1 BY FeedbackId
) AS f
LEFT JOIN
(
    SELECT TraceId, argMax(SpanId, (Timestamp, SpanId)) AS LastSpanId
    FROM ${db}.llm_span_keys
    GROUP BY TraceId
) AS last_span ON f.TraceId = last_span.TraceId
WHERE Thumb != 0;
