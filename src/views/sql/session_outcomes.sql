-- Whether each session resolved, from the strongest signal it has:
--   1 feedback   session-level human thumbs (feedback naming only the session; majority of voters,
--                ties undecided);
--   2 attribute  the configured outcome attribute (pair_settings session_outcome_attribute, default
--                session.outcome) on any span of the session, latest value;
--   3 rubric     the latest task-completion rubric result (rubric_pair_config TaskCompletion = 1)
--                on an LLM span of the session, against its PassThreshold.
-- A stronger signal overrides a weaker one; sessions with no signal are absent.
CREATE OR REPLACE VIEW ${db}.session_outcomes ${on_cluster} AS
WITH coalesce(
        nullIf((SELECT argMax(Value, UpdatedAt) FROM ${db}.pair_settings WHERE Key = 'session_outcome_attribute'), ''),
        'session.outcome') AS outcome_attribute
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
        FROM ${db}.feedback_resolved
        WHERE TargetKind = 'session' AND SessionId != ''
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
        WHERE SessionId != '' AND mapContains(SpanAttributes, outcome_attribute)
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
        WHERE Score IS NOT NULL
        GROUP BY SpanId, Name, RubricVersion
    ) AS e
    INNER JOIN ${db}.rubric_config_current AS c ON c.RubricId = e.Name AND c.RubricVersion = e.RubricVersion
    INNER JOIN ${db}.llm_span_keys AS s ON s.SpanId = e.SpanId
    WHERE c.TaskCompletion = 1 AND s.SessionId != ''
    GROUP BY s.SessionId
)
GROUP BY SessionId;
