-- Every pair every source found, before merging, by keys: span ids and answer hashes,
-- no texts. pair_id names the directed pair (prompt, chosen answer, rejected answer) by content (the
-- answers' SHA-256), so the same pair found by two sources, or from two copies of the same answers,
-- gets the same id on every run and engine. undirected_id is the same for A-over-B and B-over-A: it
-- finds contradictions; forward says which way this finding points. A pair whose two answers are the
-- same text teaches nothing and is dropped here.
CREATE OR REPLACE VIEW ${db}.pairs_all ${on_cluster} AS
SELECT
    lower(hex(substring(SHA256(concat(prompt_hash, '\0', chosen_hash, rejected_hash)), 1, 16))) AS pair_id,
    lower(hex(substring(SHA256(concat(prompt_hash, '\0', least(chosen_hash, rejected_hash), greatest(chosen_hash, rejected_hash))), 1, 16))) AS undirected_id,
    chosen_hash < rejected_hash AS forward,
    source,
    prompt_hash,
    prompt_class,
    prompt_span_id,
    chosen_span_id,
    rejected_span_id,
    chosen_hash,
    rejected_hash,
    fix_response,
    margin,
    created,
    agreement,
    metadata
FROM
(
    SELECT * FROM ${db}.pair_keys_feedback
    UNION ALL
    SELECT * FROM ${db}.pair_keys_rubric
    UNION ALL
    SELECT * FROM ${db}.pair_keys_session
    UNION ALL
    SELECT * FROM ${db}.pair_keys_judge
    UNION ALL
    SELECT * FROM ${db}.pair_keys_cluster
)
WHERE chosen_hash != rejected_hash;
