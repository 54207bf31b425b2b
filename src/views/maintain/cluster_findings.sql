-- pair_keys_cluster for the given prompt hashes only (issue 28's maintained pairs, src/views/README.md "Pairs
-- at scale"): the same rule and columns, reading only the fixes filed against the prompts' spans, their
-- clusters and the spans they name. Kept equal to `pair_keys_cluster WHERE prompt_hash IN {hashes}` by
-- test/integration/views/judgeClusterFindings.test.ts; a change to pair_keys_cluster.sql goes here too.
-- Not a view: run as a query with {hashes:Array(String)}.
WITH
    fixes AS
    (
        SELECT *
        FROM ${db}.cluster_fixes
        WHERE ExemplarSpanId IN (SELECT SpanId FROM ${db}.llm_span_index WHERE PromptHash IN {hashes:Array(String)})
        ORDER BY Timestamp DESC
        LIMIT 1 BY ClusterId, ExemplarSpanId
    ),
    members AS
    (
        SELECT ClusterId, SpanId, argMax(ClusterLabel, ClusteredAt) AS ClusterLabel
        FROM ${db}.cluster_members
        WHERE SpanId IN (SELECT ExemplarSpanId FROM fixes)
        GROUP BY ClusterId, SpanId
    ),
    named AS
    (
        SELECT ClusterId, argMax(Name, UpdatedAt) AS Name, argMax(Diagnosis, UpdatedAt) AS Diagnosis
        FROM ${db}.clusters
        WHERE ClusterId IN (SELECT ClusterId FROM fixes)
        GROUP BY ClusterId
    ),
    -- llm_span_keys for the exemplars and fix spans these fixes name.
    keys AS
    (
        SELECT TraceId, SpanId, Timestamp, SessionId, PromptHash, PromptClass, ResponseHash
        FROM ${db}.llm_span_index
        WHERE SpanId IN (SELECT arrayJoin([ExemplarSpanId, FixSpanId]) FROM fixes)
        LIMIT 1 BY TraceId, SpanId
    )
SELECT
    'cluster' AS source,
    r.PromptHash AS prompt_hash,
    r.PromptClass AS prompt_class,
    r.SpanId AS prompt_span_id,
    f.FixSpanId AS chosen_span_id,
    r.SpanId AS rejected_span_id,
    if(f.FixSpanId != '', fs.ResponseHash, CAST(substring(SHA256(f.FixResponse), 1, 16), 'FixedString(16)')) AS chosen_hash,
    r.ResponseHash AS rejected_hash,
    if(f.FixSpanId != '', '', f.FixResponse) AS fix_response,
    toFloat64(1) AS margin,
    toDateTime64(f.Timestamp, 9) AS created,
    CAST(NULL, 'Nullable(Float64)') AS agreement,
    -- The tuple's JSON with its closing brace dropped, then the scores (already JSON) spliced in.
    concat(
        substring(toJSONString(CAST(
            tuple(f.ClusterId, m.ClusterLabel, cl.Name, cl.Diagnosis, f.FixedBy, f.Note, f.Status, f.Reviewer,
                f.RequiredRubrics),
            'Tuple(cluster_id String, cluster_label String, cluster_name String, diagnosis String, fixed_by String, note String, fix_status String, reviewer String, required_rubrics Array(String))'
        )) AS head, 1, length(head) - 1),
        ',"fix_scores":', if(isValidJSON(f.Scores), f.Scores, '[]'), '}'
    ) AS metadata
FROM fixes AS f
INNER JOIN members AS m ON m.ClusterId = f.ClusterId AND m.SpanId = f.ExemplarSpanId
INNER JOIN keys AS r ON r.SpanId = f.ExemplarSpanId
LEFT JOIN keys AS fs ON fs.SpanId = f.FixSpanId
LEFT JOIN named AS cl ON cl.ClusterId = f.ClusterId
WHERE r.PromptHash IN {hashes:Array(String)}
    AND f.Status IN ('passed', 'approved')
    AND ((f.FixSpanId != '' AND fs.SpanId != '') OR (f.FixSpanId = '' AND f.FixResponse != ''))
