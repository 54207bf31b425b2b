-- preference_pairs without the texts: the pair_groups that are not contradictions, i.e. every
-- directed pair once. preference_pairs joins the texts on.
CREATE OR REPLACE VIEW ${db}.preference_pair_keys ${on_cluster} AS
SELECT
    pair_id, source, sources, margin, prompt_class, prompt_hash, prompt_span_id, chosen_span_id,
    rejected_span_id, fix_response, created, agreement, metadata, rubric_versions, rubric_gate
FROM ${db}.pair_groups
WHERE contradiction = 0;
