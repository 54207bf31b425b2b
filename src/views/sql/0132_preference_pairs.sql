-- The training pairs: every directed pair once, contradictions left out. When several sources found
-- the same pair, `source` is the first in the order feedback, rubric, session, judge, cluster (human
-- signal first) and `sources` lists them all; chosen/rejected span ids, margin and prompt come from
-- that primary source. metadata is a JSON object with one entry per source ({"feedback": {...},
-- "judge": {...}}) so no source's fields overwrite another's; rubric_versions lists `id@version` of
-- every rubric or judge rubric behind the pair; agreement is the human annotators' agreement when
-- a feedback source found the pair, else NULL.
CREATE OR REPLACE VIEW ${db}.preference_pairs ${on_cluster} AS
WITH per_source AS
(
    -- One row per (pair, source): the same pair found twice by one source (two copies of the same
    -- answers) counts once, its earliest finding. Columns are prefixed s_ so the outer aggregates
    -- can take the public names.
    SELECT
        pair_id AS s_pair_id,
        source AS s_source,
        indexOf(['feedback', 'rubric', 'session', 'judge', 'cluster'], source) AS s_priority,
        argMin(prompt_hash, created) AS s_prompt_hash,
        argMin(prompt_class, created) AS s_prompt_class,
        argMin(prompt, created) AS s_prompt,
        argMin(chosen, created) AS s_chosen,
        argMin(rejected, created) AS s_rejected,
        argMin(chosen_span_id, created) AS s_chosen_span_id,
        argMin(rejected_span_id, created) AS s_rejected_span_id,
        argMin(margin, created) AS s_margin,
        argMin(agreement, created) AS s_agreement,
        argMin(metadata, created) AS s_metadata,
        min(created) AS s_created
    FROM ${db}.pairs_all
    WHERE undirected_id NOT IN (SELECT undirected_id FROM ${db}.pair_contradictions)
    GROUP BY pair_id, source
)
SELECT
    s_pair_id AS pair_id,
    argMin(s_source, s_priority) AS source,
    arraySort(x -> indexOf(['feedback', 'rubric', 'session', 'judge', 'cluster'], x), groupArray(s_source)) AS sources,
    argMin(s_prompt, s_priority) AS prompt,
    argMin(s_chosen, s_priority) AS chosen,
    argMin(s_rejected, s_priority) AS rejected,
    argMin(s_margin, s_priority) AS margin,
    argMin(s_prompt_class, s_priority) AS prompt_class,
    argMin(s_prompt_hash, s_priority) AS prompt_hash,
    argMin(s_chosen_span_id, s_priority) AS chosen_span_id,
    argMin(s_rejected_span_id, s_priority) AS rejected_span_id,
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
        CAST([], 'Array(String)')))))) AS rubric_versions
FROM per_source
GROUP BY s_pair_id;
