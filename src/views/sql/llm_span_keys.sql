-- Every pair-candidate LLM span once, keys only (no texts): what the pair views join on. A retried
-- OTLP export can land a span twice, so rows are deduplicated by (TraceId, SpanId) here, as llm_spans
-- does for the full rows; duplicates carry the same content, so which copy survives does not matter.
CREATE OR REPLACE VIEW ${db}.llm_span_keys ${on_cluster} AS
SELECT TraceId, SpanId, Timestamp, SessionId, PromptHash, PromptClass, ResponseHash
FROM ${db}.llm_span_index
LIMIT 1 BY TraceId, SpanId;
