-- One view per pair source, from this one file: pairs_feedback, pairs_rubric, pairs_session, pairs_judge
-- and pairs_cluster (${source} takes each name of PAIR_SOURCES in src/names.ts). Each is its source's
-- pair_keys_<source> view with the texts joined on: the pairs that source found, before merging and
-- before contradictions are left out, as analysts read them. The rules are in pair_keys_<source>.sql.
CREATE OR REPLACE VIEW ${db}.pairs_${source} ${on_cluster} AS
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
FROM ${db}.pair_keys_${source} AS k
LEFT ANY JOIN ${db}.llm_span_texts AS c ON c.SpanId = k.chosen_span_id
LEFT ANY JOIN ${db}.llm_span_texts AS r ON r.SpanId = k.rejected_span_id;
