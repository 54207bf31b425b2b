-- A narrow copy of every pair-candidate LLM span's keys, filled at insert time by a materialized view
-- on otel_traces, so the pair views join ids and hashes without reading otel_traces (its Map columns,
-- its texts) at all. ResponseHash (first 16 bytes of SHA-256 of the answer) stands in for the answer
-- text when pairs are identified and compared; the texts are fetched last, for the pairs kept.
-- The MV sees only rows inserted after it exists: the INSERT … SELECT below backfills earlier rows
-- (a row the MV already copied is skipped; a duplicate would be harmless anyway, readers dedupe).
CREATE TABLE IF NOT EXISTS ${db}.llm_span_index ${on_cluster} (
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),
    SessionId String CODEC(ZSTD(1)),
    PromptHash String CODEC(ZSTD(1)),
    PromptClass String CODEC(ZSTD(1)),
    ResponseHash FixedString(16),
    ResponseLength UInt32
) ENGINE = ${engine:ReplacingMergeTree()}
ORDER BY (TraceId, SpanId);

CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.llm_span_index_mv ${on_cluster}
TO ${db}.llm_span_index AS
SELECT
    TraceId,
    SpanId,
    Timestamp,
    SessionId,
    PromptHash,
    PromptClass,
    CAST(substring(SHA256(Response), 1, 16), 'FixedString(16)') AS ResponseHash,
    toUInt32(length(Response)) AS ResponseLength
FROM ${db}.otel_traces
WHERE (IsLlm = 1 OR LlmKind = 'LLM') AND PromptHash != '';

INSERT INTO ${db}.llm_span_index
SELECT
    TraceId,
    SpanId,
    Timestamp,
    SessionId,
    PromptHash,
    PromptClass,
    CAST(substring(SHA256(Response), 1, 16), 'FixedString(16)') AS ResponseHash,
    toUInt32(length(Response)) AS ResponseLength
FROM ${db}.otel_traces
WHERE (IsLlm = 1 OR LlmKind = 'LLM') AND PromptHash != ''
    AND (TraceId, SpanId) NOT IN (SELECT TraceId, SpanId FROM ${db}.llm_span_index);
