-- Path B, by keys: a failure cluster's exemplar answer is rejected, its fix is chosen (the fix's own
-- span response when FixSpanId names one, else the hand-written FixResponse). The exemplar must be a
-- member of the cluster it is filed under. margin = 1 (a fix is a correction, not a score).
-- A hand-written fix has no span, so its text rides along in fix_response and its hash is computed
-- here the way llm_span_index hashes answers.
-- Only a fix the rubric file passed (Status 'passed', src/cluster/rescoreFix.ts) or a person approved
-- pairs; a failed, rejected, proposed or replaced one stays in cluster_fixes, shown, never paired.
-- metadata carries the cluster (id, label, name, diagnosis), who fixed it and the fix's rubric scores.
CREATE OR REPLACE VIEW ${db}.pair_keys_cluster ${on_cluster} AS
WITH fixes AS
(
    SELECT *
    FROM ${db}.cluster_fixes
    ORDER BY Timestamp DESC
    LIMIT 1 BY ClusterId, ExemplarSpanId
),
members AS
(
    SELECT ClusterId, SpanId, argMax(ClusterLabel, ClusteredAt) AS ClusterLabel
    FROM ${db}.cluster_members
    GROUP BY ClusterId, SpanId
),
named AS
(
    SELECT ClusterId, argMax(Name, UpdatedAt) AS Name, argMax(Diagnosis, UpdatedAt) AS Diagnosis
    FROM ${db}.clusters
    GROUP BY ClusterId
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
INNER JOIN ${db}.llm_span_keys AS r ON r.SpanId = f.ExemplarSpanId
LEFT JOIN ${db}.llm_span_keys AS fs ON fs.SpanId = f.FixSpanId
LEFT JOIN named AS cl ON cl.ClusterId = f.ClusterId
WHERE f.Status IN ('passed', 'approved')
    AND ((f.FixSpanId != '' AND fs.SpanId != '') OR (f.FixSpanId = '' AND f.FixResponse != ''));
