-- Unpaired preference data (KTO): kto_example_keys (the rules) with the prompt and answer texts joined
-- last. ANY join: a span stored twice still gives one row.
CREATE OR REPLACE VIEW ${db}.kto_examples ${on_cluster} AS
SELECT
    k.span_id AS span_id,
    k.prompt_hash AS prompt_hash,
    k.prompt_class AS prompt_class,
    t.PromptMessages AS prompt,
    t.Response AS completion,
    k.label AS label,
    k.kind AS kind,
    k.agreement AS agreement,
    k.created AS created,
    k.paired AS paired
FROM ${db}.kto_example_keys AS k
LEFT ANY JOIN ${db}.llm_span_texts AS t ON t.SpanId = k.span_id;
