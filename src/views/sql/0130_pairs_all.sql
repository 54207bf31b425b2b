-- Every pair every source found, before merging: the five source views share one column layout.
-- pair_id names the directed pair (prompt, chosen, rejected) by content, so the same pair found by
-- two sources, or from two copies of the same answers, gets the same id on every run and engine.
-- undirected_id is the same for A-over-B and B-over-A: it finds contradictions. A pair whose two
-- answers are the same text teaches nothing and is dropped here.
CREATE OR REPLACE VIEW ${db}.pairs_all ${on_cluster} AS
SELECT
    lower(hex(substring(SHA256(concat(prompt_hash, '\0', chosen, '\0', rejected)), 1, 16))) AS pair_id,
    lower(hex(substring(SHA256(concat(prompt_hash, '\0', least(chosen, rejected), '\0', greatest(chosen, rejected))), 1, 16))) AS undirected_id,
    chosen < rejected AS forward,
    source,
    prompt_hash,
    prompt_class,
    prompt,
    chosen,
    rejected,
    chosen_span_id,
    rejected_span_id,
    margin,
    created,
    agreement,
    metadata
FROM
(
    SELECT * FROM ${db}.pairs_feedback
    UNION ALL
    SELECT * FROM ${db}.pairs_rubric
    UNION ALL
    SELECT * FROM ${db}.pairs_session
    UNION ALL
    SELECT * FROM ${db}.pairs_judge
    UNION ALL
    SELECT * FROM ${db}.pairs_cluster
)
WHERE chosen != rejected;
