-- Contradictions left out of training, with the evidence each side rested on (reasons are worded in code).
SELECT
    resolution,
    kept_source AS keptSource,
    left_out_sources AS leftOut,
    any_prompt_class AS promptClass,
    evidence,
    count() OVER () AS total
FROM pair_contradictions
ORDER BY undirected_id
LIMIT 20
