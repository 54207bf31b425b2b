-- The training pairs: preference_pair_keys (rules in pair_groups.sql) with the texts joined last —
-- the prompt of the primary source's prompt span, the chosen answer (or a cluster's
-- hand-written fix) and the rejected answer. ANY joins: a span stored twice still gives one row.
-- People decide last (pair_review, docs/review.md): a pair whose human majority (or reviewer) prefers the
-- rejected answer is flipped (chosen and rejected swap, the pair_id stays the one labelled), and metadata of
-- a labelled pair gains annotator_agreement, band ('discard'|'review'|'train'), human_direction
-- ('chosen'|'rejected'|'void'), human_labels and resolved. An unlabelled pair is exactly as its sources found it.
CREATE OR REPLACE VIEW ${db}.preference_pairs ${on_cluster} AS
SELECT
    k.pair_id AS pair_id,
    k.source AS source,
    k.sources AS sources,
    if(k.prompt_span_id = k.chosen_span_id, c.PromptMessages, r.PromptMessages) AS prompt,
    if(h.human_direction = 'rejected', r.Response, if(k.chosen_span_id = '', k.fix_response, c.Response)) AS chosen,
    if(h.human_direction = 'rejected', if(k.chosen_span_id = '', k.fix_response, c.Response), r.Response) AS rejected,
    k.margin AS margin,
    k.prompt_class AS prompt_class,
    k.prompt_hash AS prompt_hash,
    if(h.human_direction = 'rejected', k.rejected_span_id, k.chosen_span_id) AS chosen_span_id,
    if(h.human_direction = 'rejected', k.chosen_span_id, k.rejected_span_id) AS rejected_span_id,
    k.created AS created,
    k.agreement AS agreement,
    if(h.pair_id = '', k.metadata, concat(
        substring(k.metadata, 1, length(k.metadata) - 1),
        if(k.metadata = '{}', '', ','),
        '"annotator_agreement":', toString(round(h.annotator_agreement, 6)),
        ',"band":', toJSONString(h.band),
        ',"human_direction":', toJSONString(h.human_direction),
        ',"human_labels":', toString(h.labels),
        ',"resolved":', if(h.resolved = 1, 'true', 'false'), '}')) AS metadata,
    k.rubric_versions AS rubric_versions,
    -- 'agrees', 'unknown' or 'below_floor' for rubric and judge pairs (pair_keys_rubric/_judge), '' else.
    k.rubric_gate AS rubric_gate
FROM ${db}.preference_pair_keys AS k
LEFT ANY JOIN ${db}.llm_span_texts AS c ON c.SpanId = k.chosen_span_id
LEFT ANY JOIN ${db}.llm_span_texts AS r ON r.SpanId = k.rejected_span_id
LEFT ANY JOIN ${db}.pair_review AS h ON h.pair_id = k.pair_id;
