-- pair_keys_session for the given prompt classes only (issue 28's maintained pairs, src/views/README.md "Pairs
-- at scale"): the same rule and columns (openings, session_outcomes → pair_keys_session), reading only the
-- sessions that have an LLM span of those classes: their spans, their session-level thumbs, outcome attributes
-- and task-completion rubric results. Kept equal to `pair_keys_session WHERE prompt_class IN {classes}` by
-- test/integration/views/classFindings.test.ts; a change to those view files goes here too.
-- Not a view: run as a query with {classes:Array(String)}.
WITH
    coalesce(
        nullIf((SELECT argMax(Value, UpdatedAt) FROM ${db}.pair_settings WHERE Key = 'session_outcome_attribute'), ''),
        'session.outcome') AS outcome_attribute,
    coalesce(
        nullIf((SELECT argMax(Value, UpdatedAt) FROM ${db}.pair_settings WHERE Key = 'feedback_name'), ''),
        'user_feedback') AS feedback_name,
    unit_sessions AS
    (
        SELECT DISTINCT SessionId FROM ${db}.llm_span_index
        WHERE PromptClass IN {classes:Array(String)} AND SessionId != ''
    ),
    session_spans AS
    (
        SELECT TraceId, SpanId, Timestamp, SessionId, PromptHash, PromptClass, ResponseHash
        FROM ${db}.llm_span_index
        WHERE SessionId IN (SELECT SessionId FROM unit_sessions)
        LIMIT 1 BY TraceId, SpanId
    ),
    openings AS
    (
        SELECT
            SessionId,
            argMin(SpanId, (Timestamp, SpanId)) AS OpeningSpanId,
            argMin(PromptClass, (Timestamp, SpanId)) AS OpeningClass,
            argMin(PromptHash, (Timestamp, SpanId)) AS OpeningPromptHash,
            argMin(ResponseHash, (Timestamp, SpanId)) AS OpeningResponseHash,
            min(Timestamp) AS StartedAt
        FROM session_spans
        GROUP BY SessionId
    ),
    -- session_outcomes for these sessions.
    outcomes AS
    (
        SELECT
            SessionId,
            argMin(Resolved, Priority) AS Resolved,
            argMin(ResolvedBy, Priority) AS ResolvedBy
        FROM
        (
            SELECT SessionId, 1 AS Priority, toUInt8(sum(VoterThumb) > 0) AS Resolved, 'feedback' AS ResolvedBy
            FROM
            (
                SELECT SessionId, Voter, argMax(Thumb, (Timestamp, FeedbackId)) AS VoterThumb
                FROM
                (
                    SELECT
                        FeedbackId,
                        Timestamp,
                        SessionId,
                        if(AnnotatorId = '', FeedbackId, AnnotatorId) AS Voter,
                        multiIf(
                            lower(Label) IN ('thumbs_up', 'up', 'positive', 'good'), 1,
                            lower(Label) IN ('thumbs_down', 'down', 'negative', 'bad'), -1,
                            Score IS NULL, 0,
                            assumeNotNull(Score) > 0, 1,
                            -1) AS Thumb
                    FROM
                    (
                        SELECT *
                        FROM ${db}.feedback
                        WHERE AnnotatorKind = 'HUMAN' AND Name = feedback_name
                            AND SpanId = '' AND TraceId = '' AND SessionId IN (SELECT SessionId FROM unit_sessions)
                        ORDER BY IngestedAt DESC
                        LIMIT 1 BY FeedbackId
                    )
                    WHERE Thumb != 0
                )
                GROUP BY SessionId, Voter
            )
            GROUP BY SessionId
            HAVING sum(VoterThumb) != 0

            UNION ALL

            SELECT SessionId, 2 AS Priority, toUInt8(argMax(Outcome, Timestamp)) AS Resolved, 'attribute' AS ResolvedBy
            FROM
            (
                SELECT
                    SessionId,
                    Timestamp,
                    multiIf(
                        lower(SpanAttributes[outcome_attribute]) IN ('resolved', 'success', 'succeeded', 'completed', 'true', '1', 'yes'), 1,
                        lower(SpanAttributes[outcome_attribute]) IN ('unresolved', 'failure', 'failed', 'abandoned', 'false', '0', 'no'), 0,
                        -1) AS Outcome
                FROM ${db}.otel_traces
                WHERE SessionId IN (SELECT SessionId FROM unit_sessions) AND mapContains(SpanAttributes, outcome_attribute)
            )
            WHERE Outcome >= 0
            GROUP BY SessionId

            UNION ALL

            SELECT
                s.SessionId AS SessionId,
                3 AS Priority,
                toUInt8(argMax(if(c.HigherIsBetter = 1, e.LatestScore >= c.PassThreshold, e.LatestScore <= c.PassThreshold), e.Timestamp)) AS Resolved,
                'rubric' AS ResolvedBy
            FROM
            (
                SELECT SpanId, Name, RubricVersion, max(Timestamp) AS Timestamp, argMax(assumeNotNull(Score), IngestedAt) AS LatestScore
                FROM ${db}.evaluations
                WHERE Score IS NOT NULL AND SpanId IN (SELECT SpanId FROM session_spans)
                GROUP BY SpanId, Name, RubricVersion
            ) AS e
            INNER JOIN ${db}.rubric_config_current AS c ON c.RubricId = e.Name AND c.RubricVersion = e.RubricVersion
            INNER JOIN session_spans AS s ON s.SpanId = e.SpanId
            WHERE c.TaskCompletion = 1 AND s.SessionId != ''
            GROUP BY s.SessionId
        )
        GROUP BY SessionId
    ),
    sides AS
    (
        SELECT
            o.OpeningClass AS PromptClass,
            -- (SessionId, OpeningSpanId, StartedAt, ResolvedBy, PromptHash, ResponseHash), oldest first
            arraySort(x -> (x.3, x.1), groupArrayIf(tuple(o.SessionId, o.OpeningSpanId, o.StartedAt, so.ResolvedBy, o.OpeningPromptHash, o.OpeningResponseHash), so.Resolved = 1)) AS resolved,
            arraySort(x -> (x.3, x.1), groupArrayIf(tuple(o.SessionId, o.OpeningSpanId, o.StartedAt, so.ResolvedBy, o.OpeningPromptHash, o.OpeningResponseHash), so.Resolved = 0)) AS unresolved
        FROM (SELECT * FROM openings WHERE OpeningClass IN {classes:Array(String)}) AS o
        INNER JOIN outcomes AS so ON so.SessionId = o.SessionId
        GROUP BY o.OpeningClass
        HAVING length(resolved) > 0 AND length(unresolved) > 0
    ),
    matched AS
    (
        SELECT PromptClass, resolved[k + 1] AS good, unresolved[k + 1] AS bad
        FROM sides
        ARRAY JOIN range(least(length(resolved), length(unresolved))) AS k
    )
SELECT
    'session' AS source,
    good.5 AS prompt_hash,
    PromptClass AS prompt_class,
    good.2 AS prompt_span_id,
    good.2 AS chosen_span_id,
    bad.2 AS rejected_span_id,
    good.6 AS chosen_hash,
    bad.6 AS rejected_hash,
    '' AS fix_response,
    toFloat64(1) AS margin,
    greatest(good.3, bad.3) AS created,
    CAST(NULL, 'Nullable(Float64)') AS agreement,
    toJSONString(CAST(
        tuple(good.1, bad.1, good.4, bad.4, bad.5),
        'Tuple(chosen_session_id String, rejected_session_id String, chosen_resolved_by String, rejected_resolved_by String, rejected_prompt_hash String)'
    )) AS metadata
FROM matched
