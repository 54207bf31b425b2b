-- Every undirected pair (answers A and B to one prompt) once, its findings merged across sources,
-- flagged `contradiction` when they point both ways. pairs_all is read once and grouped, so counting
-- (`prefloop pairs`) reads this view in one pass. When several sources found the same pair, `source`
-- is the first in the order feedback, rubric, session, judge, cluster and `sources` lists them all;
-- chosen/rejected span ids, margin and prompt come from that primary source. metadata is a JSON object
-- with one entry per source ({"feedback": {...}, "judge": {...}}) so no source's fields overwrite
-- another's; rubric_versions lists `id@version` of every rubric or judge rubric behind the pair;
-- agreement is the human annotators' agreement when a feedback source found the pair, else NULL.
CREATE OR REPLACE VIEW ${db}.pair_groups ${on_cluster} AS
WITH per_source AS
(
    -- One row per (pair, source): the same pair found twice by one source (two copies of the same
    -- answers) counts once, its earliest finding. Columns are prefixed s_ so the outer aggregates
    -- can take the public names.
    SELECT
        pair_id AS s_pair_id,
        any(undirected_id) AS s_undirected_id,
        toUInt8(any(forward)) AS s_forward,
        source AS s_source,
        indexOf(['feedback', 'rubric', 'session', 'judge', 'cluster'], source) AS s_priority,
        argMin(prompt_hash, created) AS s_prompt_hash,
        argMin(prompt_class, created) AS s_prompt_class,
        argMin(prompt_span_id, created) AS s_prompt_span_id,
        argMin(chosen_span_id, created) AS s_chosen_span_id,
        argMin(rejected_span_id, created) AS s_rejected_span_id,
        argMin(fix_response, created) AS s_fix_response,
        argMin(margin, created) AS s_margin,
        argMin(agreement, created) AS s_agreement,
        argMin(metadata, created) AS s_metadata,
        min(created) AS s_created
    FROM ${db}.pairs_all
    GROUP BY pair_id, source
)
SELECT
    any(s_pair_id) AS pair_id,
    argMin(s_source, s_priority) AS source,
    arraySort(x -> indexOf(['feedback', 'rubric', 'session', 'judge', 'cluster'], x), groupArray(s_source)) AS sources,
    argMin(s_margin, s_priority) AS margin,
    argMin(s_prompt_class, s_priority) AS prompt_class,
    argMin(s_prompt_hash, s_priority) AS prompt_hash,
    argMin(s_prompt_span_id, s_priority) AS prompt_span_id,
    argMin(s_chosen_span_id, s_priority) AS chosen_span_id,
    argMin(s_rejected_span_id, s_priority) AS rejected_span_id,
    argMin(s_fix_response, s_priority) AS fix_response,
    min(s_created) AS created,
    if(countIf(s_agreement IS NOT NULL) > 0, minIf(assumeNotNull(s_agreement), s_agreement IS NOT NULL), NULL) AS agreement,
    concat('{', arrayStringConcat(arrayMap(x -> concat(toJSONString(x.2), ':', x.3),
        arraySort(groupArray(tuple(s_priority, s_source, s_metadata)))), ','), '}') AS metadata,
    arraySort(arrayDistinct(arrayFlatten(groupArray(multiIf(
        s_source = 'rubric',
            arrayMap((k, v) -> concat(k, '@', v),
                mapKeys(JSONExtract(s_metadata, 'rubric_versions', 'Map(String, String)')),
                mapValues(JSONExtract(s_metadata, 'rubric_versions', 'Map(String, String)'))),
        s_source = 'judge',
            [concat(JSONExtractString(s_metadata, 'judge_rubric'), '@', JSONExtractString(s_metadata, 'rubric_version'))],
        CAST([], 'Array(String)')))))) AS rubric_versions,
    toUInt8(min(s_forward) != max(s_forward)) AS contradiction
FROM per_source
GROUP BY s_undirected_id;
