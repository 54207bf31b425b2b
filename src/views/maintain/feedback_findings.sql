-- pair_keys_feedback for the given prompt hashes only (issue 28's maintained pairs, src/views/README.md "Pairs
-- at scale"): the same rule and the same columns, but every input is read by unit — the spans by prompt hash in
-- llm_span_index, their feedback by span id or trace id, the traces' last spans by trace id — so the work
-- follows the number of prompts asked for, not the size of the store. Kept equal to
-- `pair_keys_feedback WHERE prompt_hash IN {hashes}` by test/integration/views/feedbackFindings.test.ts; a change
-- to the feedback rule (feedback_resolved, span_thumbs, span_preferences, pair_keys_feedback) goes here too.
-- Not a view: run as a query with {hashes:Array(String)}.
WITH
    coalesce(
        nullIf((SELECT argMax(Value, UpdatedAt) FROM ${db}.pair_settings WHERE Key = 'feedback_name'), ''),
        'user_feedback') AS feedback_name,
    unit_spans AS
    (
        SELECT TraceId, SpanId, Timestamp, SessionId, PromptHash, PromptClass, ResponseHash
        FROM ${db}.llm_span_index
        WHERE PromptHash IN {hashes:Array(String)}
        LIMIT 1 BY TraceId, SpanId
    ),
    -- The last LLM span of each trace the unit's spans are in: where a trace-level thumb lands.
    trace_last AS
    (
        SELECT TraceId, argMax(SpanId, (Timestamp, SpanId)) AS LastSpanId
        FROM ${db}.llm_span_index
        WHERE TraceId IN (SELECT TraceId FROM unit_spans)
        GROUP BY TraceId
    ),
    -- feedback_resolved, for the thumbs that can land on the unit's spans.
    resolved AS
    (
        SELECT
            f.FeedbackId AS FeedbackId,
            f.Timestamp AS Timestamp,
            if(f.AnnotatorId = '', f.FeedbackId, f.AnnotatorId) AS Voter,
            multiIf(
                lower(f.Label) IN ('thumbs_up', 'up', 'positive', 'good'), 1,
                lower(f.Label) IN ('thumbs_down', 'down', 'negative', 'bad'), -1,
                f.Score IS NULL, 0,
                assumeNotNull(f.Score) > 0, 1,
                -1) AS Thumb,
            if(f.SpanId != '', f.SpanId, t.LastSpanId) AS TargetSpanId
        FROM
        (
            SELECT *
            FROM ${db}.feedback
            WHERE AnnotatorKind = 'HUMAN' AND Name = feedback_name
                AND (SpanId IN (SELECT SpanId FROM unit_spans)
                    OR (SpanId = '' AND TraceId != '' AND TraceId IN (SELECT TraceId FROM unit_spans)))
            ORDER BY IngestedAt DESC
            LIMIT 1 BY FeedbackId
        ) AS f
        LEFT JOIN trace_last AS t ON f.TraceId = t.TraceId
        WHERE Thumb != 0
    ),
    -- span_thumbs.
    thumbs AS
    (
        SELECT
            TargetSpanId AS SpanId,
            countIf(VoterThumb > 0) AS Ups,
            countIf(VoterThumb < 0) AS Downs,
            toInt8(sign(Ups - Downs)) AS Thumb,
            greatest(Ups, Downs) / (Ups + Downs) AS Agreement
        FROM
        (
            SELECT TargetSpanId, Voter, argMax(Thumb, (Timestamp, FeedbackId)) AS VoterThumb
            FROM resolved
            WHERE TargetSpanId != ''
            GROUP BY TargetSpanId, Voter
        )
        GROUP BY TargetSpanId
    ),
    -- span_preferences.
    preferences AS
    (
        SELECT
            SpanId,
            Thumb,
            Ups,
            Downs,
            toFloat64(Agreement) AS Agreement,
            'thumbs' AS Kind,
            toFloat64((Ups - Downs) / (Ups + Downs)) AS Net
        FROM thumbs
        WHERE Thumb != 0
        UNION ALL
        SELECT
            LastSpanId AS SpanId,
            toInt8(1) AS Thumb,
            toUInt64(0) AS Ups,
            toUInt64(0) AS Downs,
            toFloat64(1) AS Agreement,
            'regenerate' AS Kind,
            toFloat64(0.5) AS Net
        FROM
        (
            SELECT
                s.SessionId,
                s.PromptHash,
                argMax(s.SpanId, (s.Timestamp, s.SpanId)) AS LastSpanId,
                argMax(t.Ups + t.Downs, (s.Timestamp, s.SpanId)) AS LastVotes,
                countIf(t.Thumb < 0) AS Downvoted
            FROM unit_spans AS s
            LEFT JOIN thumbs AS t ON s.SpanId = t.SpanId
            WHERE s.SessionId != ''
            GROUP BY s.SessionId, s.PromptHash
            HAVING count() >= 2 AND Downvoted > 0 AND LastVotes = 0
        )
    ),
    sides AS
    (
        SELECT
            s.PromptHash AS PromptHash,
            arraySort(x -> (x.2, x.1), groupArrayIf(tuple(s.SpanId, s.Timestamp, p.Net, p.Agreement, p.Kind, p.Ups, p.Downs, s.PromptClass, s.ResponseHash), p.Thumb > 0)) AS ups,
            arraySort(x -> (x.2, x.1), groupArrayIf(tuple(s.SpanId, s.Timestamp, p.Net, p.Agreement, p.Kind, p.Ups, p.Downs, s.PromptClass, s.ResponseHash), p.Thumb < 0)) AS downs
        FROM preferences AS p
        INNER JOIN unit_spans AS s ON s.SpanId = p.SpanId
        GROUP BY s.PromptHash
        HAVING length(ups) > 0 AND length(downs) > 0
    ),
    matched AS
    (
        SELECT
            PromptHash,
            ups[(k % length(ups)) + 1] AS up,
            downs[(k % length(downs)) + 1] AS down
        FROM sides
        ARRAY JOIN range(greatest(length(ups), length(downs))) AS k
    )
SELECT
    'feedback' AS source,
    PromptHash AS prompt_hash,
    up.8 AS prompt_class,
    up.1 AS prompt_span_id,
    up.1 AS chosen_span_id,
    down.1 AS rejected_span_id,
    up.9 AS chosen_hash,
    down.9 AS rejected_hash,
    '' AS fix_response,
    toFloat64(up.3 - down.3) AS margin,
    greatest(up.2, down.2) AS created,
    CAST(least(up.4, down.4), 'Nullable(Float64)') AS agreement,
    toJSONString(CAST(
        tuple(up.5, up.6, up.7, down.6, down.7, least(up.4, down.4)),
        'Tuple(chosen_kind String, chosen_ups UInt32, chosen_downs UInt32, rejected_ups UInt32, rejected_downs UInt32, annotator_agreement Float64)'
    )) AS metadata
FROM matched
