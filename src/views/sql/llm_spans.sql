-- Every LLM span that can take part in a pair, once. A retried OTLP export can land the same span
-- twice, so spans are deduplicated by (TraceId, SpanId) here and every pair view reads this view,
-- never otel_traces: a duplicate row can then never double a pair. Duplicates carry the same
-- content, so which copy survives does not matter (no ORDER BY: no sort of a million responses).
-- An LLM span whose model returned an empty answer is kept (IsLlm is 0 for it): the user saw that
-- empty answer and may well have judged it (HH-RLHF has chosen empty replies).
CREATE OR REPLACE VIEW ${db}.llm_spans ${on_cluster} AS
SELECT
    TraceId,
    SpanId,
    Timestamp,
    ServiceName,
    SessionId,
    UserId,
    ModelName,
    PromptMessages,
    Response,
    PromptHash,
    PromptClass,
    SpanAttributes
FROM ${db}.otel_traces
WHERE (IsLlm = 1 OR LlmKind = 'LLM') AND PromptHash != ''
LIMIT 1 BY TraceId, SpanId;
