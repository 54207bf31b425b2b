-- Merges the given prompt hashes' findings from pair_findings_state into pair_groups_state (Version {version}).
-- The query below is pair_groups' own rule, read from src/views/sql/pair_groups.sql with its pairs_all replaced by the
-- state's current findings of these prompt hashes: one rule, two readers.
INSERT INTO ${db}.pair_groups_state
SELECT
    pair_id, undirected_id, source, sources, margin, prompt_class, prompt_hash, prompt_span_id, chosen_span_id,
    rejected_span_id, fix_response, created, agreement, metadata, rubric_versions, rubric_gate, contradiction,
    overridden_sources, sources_one_way, sources_other_way, span_ids_preferred, findings, evidence,
    {version:UInt64} AS Version,
    0 AS Deleted
FROM
(
${rule}
)
