-- Human feedback that names a span, trace or session no stored span has (yet). It is kept, not refused:
-- feedback may arrive before its span, and feedback_resolved applies it as soon as the span is stored
-- (this view then no longer lists it). `prefloop pairs` counts these rows; a count that stays high
-- means feedback names ids the app never exports (wrong ids, or spans sampled away).
CREATE OR REPLACE VIEW ${db}.feedback_unmatched ${on_cluster} AS
SELECT
    FeedbackId,
    Timestamp,
    TraceId,
    SpanId,
    SessionId,
    Name,
    Label,
    Score,
    AnnotatorId,
    Origin,
    multiIf(SpanId != '', 'span', TraceId != '', 'trace', 'session') AS NamedKind
FROM
(
    SELECT *
    FROM ${db}.feedback
    ORDER BY IngestedAt DESC
    LIMIT 1 BY FeedbackId
)
WHERE multiIf(
    SpanId != '', SpanId NOT IN (SELECT SpanId FROM ${db}.otel_traces),
    TraceId != '', TraceId NOT IN (SELECT TraceId FROM ${db}.otel_traces),
    SessionId != '', SessionId NOT IN (SELECT SessionId FROM ${db}.otel_traces WHERE SessionId != ''),
    0);
