-- (Replaces 0121, same columns and rules.) pair_keys_session with the texts joined on: the pairs this
-- source found, before merging, as analysts read them.
CREATE OR REPLACE VIEW ${db}.pairs_session ${on_cluster} AS
SELECT
    k.source AS source,
    k.prompt_hash AS prompt_hash,
    k.prompt_class AS prompt_class,
    if(k.prompt_span_id = k.chosen_span_id, c.PromptMessages, r.PromptMessages) AS prompt,
    if(k.chosen_span_id = '', k.fix_response, c.Response) AS chosen,
    r.Response AS rejected,
    k.chosen_span_id AS chosen_span_id,
    k.rejected_span_id AS rejected_span_id,
    k.margin AS margin,
    k.created AS created,
    k.agreement AS agreement,
    k.metadata AS metadata
FROM ${db}.pair_keys_session AS k
LEFT ANY JOIN ${db}.llm_span_texts AS c ON c.SpanId = k.chosen_span_id
LEFT ANY JOIN ${db}.llm_span_texts AS r ON r.SpanId = k.rejected_span_id;
