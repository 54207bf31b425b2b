-- Two answers to one prompt preferred both ways (A over B by one finding, B over A by another). Either
-- a lower source disagreed with a higher one (resolution 'overridden': the higher source's pair is
-- kept, the lower one's left out; see pair_groups for the ranking), or the highest source that found
-- the pair disagrees with itself (resolution 'unresolved': both left out). `evidence` is a JSON array
-- with each finding's source, the answer it prefers, its margin and its metadata (thumb counts for
-- feedback, scores and score gap for rubrics, confidence for the judge) and whether it was kept.
CREATE OR REPLACE VIEW ${db}.pair_contradictions ${on_cluster} AS
SELECT
    undirected_id,
    if(contradiction = 1, '', pair_id) AS kept_pair_id,
    if(contradiction = 1, 'unresolved', 'overridden') AS resolution,
    if(contradiction = 1, '', source) AS kept_source,
    if(contradiction = 1, arrayDistinct(arrayConcat(sources_one_way, sources_other_way)), overridden_sources) AS left_out_sources,
    prompt_hash AS any_prompt_hash,
    prompt_class AS any_prompt_class,
    sources_one_way,
    sources_other_way,
    span_ids_preferred,
    findings,
    evidence
FROM ${db}.pair_groups
WHERE contradiction = 1 OR length(overridden_sources) > 0;
