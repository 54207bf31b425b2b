-- Two answers to one prompt preferred both ways (A over B somewhere, B over A elsewhere, in one
-- source or across sources). Such a pair is left out of preference_pairs; this view lists and counts
-- them.
CREATE OR REPLACE VIEW ${db}.pair_contradictions ${on_cluster} AS
SELECT
    undirected_id,
    any(prompt_hash) AS any_prompt_hash,
    any(prompt_class) AS any_prompt_class,
    arraySort(groupUniqArrayIf(source, forward)) AS sources_one_way,
    arraySort(groupUniqArrayIf(source, NOT forward)) AS sources_other_way,
    arraySort(groupUniqArray(chosen_span_id)) AS span_ids_preferred,
    count() AS findings
FROM ${db}.pairs_all
GROUP BY undirected_id
HAVING countIf(forward) > 0 AND countIf(NOT forward) > 0;
