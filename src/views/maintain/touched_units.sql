-- The units of pair work that rows inserted since a watermark can change (issue 28's maintained pairs,
-- src/views/README.md "Pairs at scale"): the prompt hashes (feedback, judge and cluster findings, and the
-- merge) and prompt classes (rubric and session findings) to recompute, and the global inputs that changed.
-- A superset is fine (recomputing an unchanged unit is harmless); a missed unit is a stale pair.
--
-- Touched spans: new spans (any kind: an outcome attribute can ride on a non-LLM span), the spans new
-- feedback, evaluations, judge verdicts, cluster members, fixes and renamed clusters name, and the
-- partners they are paired with (the other answer of a verdict; the exemplar of a fix whose fix span is
-- new). Each is widened to every LLM span of its trace (a trace-level thumb lands on the trace's last
-- span, which a later span moves) and of its session (regenerates, session openings and outcomes).
-- Feedback that names a span not stored yet touches nothing: the span's arrival touches its units.
-- Review labels and resolutions are absent on purpose: they are joined when the pairs are read.
-- Known gap (src/views/README.md): cluster_members/clusters carry the cluster run's start time and the global
-- tables the writer's time, not the insert's, so a row written long after its stamp is missed by a later pass.
WITH
    {since:DateTime64(3)} AS since,
    touched AS
    (
        SELECT SpanId, TraceId, SessionId FROM ${db}.otel_traces WHERE IngestedAt >= since
        UNION ALL
        SELECT SpanId, TraceId, SessionId FROM ${db}.feedback WHERE IngestedAt >= since
        UNION ALL
        SELECT SpanId, TraceId, '' FROM ${db}.evaluations WHERE IngestedAt >= since
        UNION ALL
        SELECT arrayJoin([SpanIdA, SpanIdB]), '', '' FROM ${db}.judge_verdicts WHERE IngestedAt >= since
        UNION ALL
        SELECT SpanId, TraceId, '' FROM ${db}.cluster_members WHERE ClusteredAt >= since
        UNION ALL
        SELECT arrayJoin([ExemplarSpanId, FixSpanId]), '', '' FROM ${db}.cluster_fixes WHERE Timestamp >= since
        UNION ALL
        SELECT SpanId, TraceId, '' FROM ${db}.cluster_members
        WHERE ClusterId IN (SELECT ClusterId FROM ${db}.clusters WHERE UpdatedAt >= since)
    ),
    partners AS
    (
        SELECT arrayJoin([SpanIdA, SpanIdB]) AS SpanId FROM ${db}.judge_verdicts
        WHERE SpanIdA IN (SELECT SpanId FROM touched) OR SpanIdB IN (SELECT SpanId FROM touched)
        UNION ALL
        SELECT ExemplarSpanId FROM ${db}.cluster_fixes WHERE FixSpanId IN (SELECT SpanId FROM touched)
    ),
    spans AS
    (
        SELECT TraceId, SessionId FROM ${db}.llm_span_index
        WHERE SpanId IN (SELECT SpanId FROM touched WHERE SpanId != '')
            OR SpanId IN (SELECT SpanId FROM partners WHERE SpanId != '')
    ),
    affected AS
    (
        SELECT PromptHash, PromptClass FROM ${db}.llm_span_index
        WHERE TraceId IN (SELECT TraceId FROM touched WHERE TraceId != '')
            OR TraceId IN (SELECT TraceId FROM spans)
            OR (SessionId != '' AND SessionId IN (SELECT SessionId FROM touched WHERE SessionId != ''))
            OR (SessionId != '' AND SessionId IN (SELECT SessionId FROM spans WHERE SessionId != ''))
    )
SELECT DISTINCT kind, unit
FROM
(
    SELECT 'prompt_hash' AS kind, PromptHash AS unit FROM affected
    UNION ALL
    SELECT 'prompt_class' AS kind, PromptClass AS unit FROM affected
    UNION ALL
    SELECT 'global' AS kind, 'pair_settings' AS unit FROM ${db}.pair_settings WHERE UpdatedAt >= since
    UNION ALL
    SELECT 'global' AS kind, 'rubric_pair_config' AS unit FROM ${db}.rubric_pair_config WHERE UpdatedAt >= since
    UNION ALL
    SELECT 'global' AS kind, 'rubric_agreement' AS unit FROM ${db}.rubric_agreement WHERE MeasuredAt >= since
    UNION ALL
    SELECT 'global' AS kind, 'judge_calibrations' AS unit FROM ${db}.judge_calibrations WHERE measured_at >= since
)
ORDER BY kind, unit
