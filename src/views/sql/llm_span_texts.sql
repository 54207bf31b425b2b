-- The texts of pair-candidate LLM spans, read from otel_traces (only these columns: the Map columns
-- are never touched). Joined last, onto the pairs already chosen by keys, always with ANY so that a
-- span stored twice still gives one row.
CREATE OR REPLACE VIEW ${db}.llm_span_texts ${on_cluster} AS
SELECT SpanId, PromptMessages, Response
FROM ${db}.otel_traces
WHERE (IsLlm = 1 OR LlmKind = 'LLM') AND PromptHash != '';
