-- The LLM meaning prefloop pulls out of OpenInference / GenAI attributes, as plain columns.
-- Added with ALTER so a table first made by the contrib exporter gains them too (rows it wrote keep
-- the defaults and are not pair candidates).
ALTER TABLE ${db}.otel_traces ${on_cluster}
    ADD COLUMN IF NOT EXISTS LlmKind LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)),
    ADD COLUMN IF NOT EXISTS IsLlm UInt8 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS SessionId String DEFAULT '' CODEC(ZSTD(1)),
    ADD COLUMN IF NOT EXISTS UserId String DEFAULT '' CODEC(ZSTD(1)),
    ADD COLUMN IF NOT EXISTS ModelName LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)),
    ADD COLUMN IF NOT EXISTS PromptMessages String DEFAULT '[]' CODEC(ZSTD(3)),
    ADD COLUMN IF NOT EXISTS Response String DEFAULT '' CODEC(ZSTD(3)),
    ADD COLUMN IF NOT EXISTS RetrievalDocuments String DEFAULT '[]' CODEC(ZSTD(3)),
    ADD COLUMN IF NOT EXISTS PromptHash String DEFAULT '' CODEC(ZSTD(1)),
    ADD COLUMN IF NOT EXISTS PromptClass String DEFAULT '' CODEC(ZSTD(1)),
    ADD COLUMN IF NOT EXISTS TokensPrompt UInt32 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS TokensCompletion UInt32 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS IngestedAt DateTime64(3) DEFAULT now64(3);
