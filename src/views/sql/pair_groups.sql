-- Every undirected pair (answers A and B to one prompt) once, its findings merged across sources.
-- pairs_all is read once and grouped, so counting (`prefloop pairs`) reads this view in one pass.
--
-- Which signal wins: sources rank feedback (humans) > session (outcomes) > judge > rubric > cluster
-- (PAIR_SOURCES in src/names.ts, same order). The highest source that found the pair decides its
-- direction; a lower source that found it the other way is overridden: left out of the pair, named in
-- `overridden_sources` and counted. Only when the highest source itself points both ways (two sets
-- of human thumbs disagreeing) is nothing decided: `contradiction` = 1 and the pair is left out.
-- pair_contradictions lists both kinds with each side's evidence.
--
-- The kept pair: `source` is the highest source, `sources` every source that agrees, in rank order;
-- chosen/rejected span ids, margin and prompt come from the highest source. metadata is a JSON object
-- with one entry per agreeing source ({"feedback": {...}, "judge": {...}}) so no source's fields
-- overwrite another's; rubric_versions lists `id@version` of every rubric or judge rubric behind it;
-- agreement is the human annotators' agreement when feedback found the pair, else NULL.
CREATE OR REPLACE VIEW ${db}.pair_groups ${on_cluster} AS
WITH per_source AS
(
    -- One row per (pair, source): the same pair found twice by one source (two copies of the same
    -- answers) counts once, its earliest finding.
    SELECT
        pair_id AS s_pair_id,
        any(undirected_id) AS s_undirected_id,
        toUInt8(any(forward)) AS s_forward,
        source AS s_source,
        indexOf(['feedback', 'session', 'judge', 'rubric', 'cluster'], source) AS s_rank,
        argMin(prompt_hash, created) AS s_prompt_hash,
        argMin(prompt_class, created) AS s_prompt_class,
        argMin(prompt_span_id, created) AS s_prompt_span_id,
        argMin(chosen_span_id, created) AS s_chosen_span_id,
        argMin(rejected_span_id, created) AS s_rejected_span_id,
        argMin(fix_response, created) AS s_fix_response,
        argMin(margin, created) AS s_margin,
        argMin(agreement, created) AS s_agreement,
        argMin(metadata, created) AS s_metadata,
        min(created) AS s_created,
        count() AS s_findings
    FROM ${db}.pairs_all
    GROUP BY pair_id, source
),
grouped AS
(
    -- Each group's findings, best-ranked first: (rank, source, forward, pair_id, margin, prompt_class,
    -- prompt_hash, prompt_span_id, chosen_span_id, rejected_span_id, fix_response, created, agreement,
    -- metadata). At most two per source.
    SELECT
        arraySort(x -> (x.1, x.3), groupArray(tuple(s_rank, s_source, s_forward, s_pair_id, s_margin,
            s_prompt_class, s_prompt_hash, s_prompt_span_id, s_chosen_span_id, s_rejected_span_id,
            s_fix_response, s_created, s_agreement, s_metadata))) AS f,
        sum(s_findings) AS findings,
        s_undirected_id AS undirected_id
    FROM per_source
    GROUP BY s_undirected_id
),
decided AS
(
    SELECT
        f,
        findings,
        undirected_id,
        f[1].1 AS top_rank,
        toUInt8(arrayExists(x -> x.1 = top_rank AND x.3 != f[1].3, f)) AS contradiction,
        arrayFilter(x -> x.3 = f[1].3, f) AS kept,
        arrayFilter(x -> x.3 != f[1].3, f) AS overridden
    FROM grouped
)
SELECT
    kept[1].4 AS pair_id,
    undirected_id,
    kept[1].2 AS source,
    arrayMap(x -> x.2, kept) AS sources,
    kept[1].5 AS margin,
    kept[1].6 AS prompt_class,
    kept[1].7 AS prompt_hash,
    kept[1].8 AS prompt_span_id,
    kept[1].9 AS chosen_span_id,
    kept[1].10 AS rejected_span_id,
    kept[1].11 AS fix_response,
    arrayMin(x -> x.12, kept) AS created,
    arrayReduce('min', arrayMap(x -> x.13, kept)) AS agreement,
    concat('{', arrayStringConcat(arrayMap(x -> concat(toJSONString(x.2), ':', x.14), kept), ','), '}') AS metadata,
    arraySort(arrayDistinct(arrayFlatten(arrayMap(x -> multiIf(
        x.2 = 'rubric',
            arrayMap((k, v) -> concat(k, '@', v),
                mapKeys(JSONExtract(x.14, 'rubric_versions', 'Map(String, String)')),
                mapValues(JSONExtract(x.14, 'rubric_versions', 'Map(String, String)'))),
        x.2 = 'judge',
            [concat(JSONExtractString(x.14, 'judge_rubric'), '@', JSONExtractString(x.14, 'rubric_version'))],
        CAST([], 'Array(String)')), kept)))) AS rubric_versions,
    -- Pairs whose highest source is a rubric or a judge carry its agreement gate (pair_keys_rubric,
    -- pair_keys_judge); others ''.
    if(kept[1].2 IN ('rubric', 'judge'), JSONExtractString(kept[1].14, 'gate'), '') AS rubric_gate,
    contradiction,
    if(contradiction = 1, CAST([], 'Array(String)'), arrayDistinct(arrayMap(x -> x.2, overridden))) AS overridden_sources,
    -- For pair_contradictions: every finding, which answer it prefers and why.
    arrayDistinct(arrayMap(x -> x.2, arrayFilter(x -> x.3 = 1, f))) AS sources_one_way,
    arrayDistinct(arrayMap(x -> x.2, arrayFilter(x -> x.3 = 0, f))) AS sources_other_way,
    arraySort(arrayDistinct(arrayMap(x -> x.9, f))) AS span_ids_preferred,
    findings,
    concat('[', arrayStringConcat(arrayMap(x -> concat(
        '{"source":', toJSONString(x.2),
        ',"chosen_span_id":', toJSONString(x.9),
        ',"rejected_span_id":', toJSONString(x.10),
        ',"margin":', toJSONString(x.5),
        ',"kept":', if(contradiction = 0 AND x.3 = f[1].3, 'true', 'false'),
        ',"metadata":', x.14, '}'), f), ','), ']') AS evidence
FROM decided;
