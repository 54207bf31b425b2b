-- A prototype of the maintained pairs' per-unit rule (src/views/README.md, "Pairs at scale"), for the bench
-- only: the thumbed answers of the given prompt hashes, grouped per prompt hash — what pair_keys_feedback's
-- `sides` computes for every prompt at once. The spans are found by prompt hash in the narrow key index, and
-- their feedback through feedback's sort key (TraceId), so the work follows the number of units, not the
-- size of the store. Span-level thumbs only (no trace-level thumbs, no regenerates): it measures the access
-- path, not the whole rule.
WITH
    spans AS
    (
        SELECT TraceId, SpanId, Timestamp, PromptHash, PromptClass, ResponseHash
        FROM llm_span_index
        WHERE PromptHash IN {hashes:Array(String)}
        LIMIT 1 BY TraceId, SpanId
    ),
    votes AS
    (
        SELECT
            SpanId,
            if(AnnotatorId = '', FeedbackId, AnnotatorId) AS Voter,
            argMax(multiIf(Score IS NULL, 0, assumeNotNull(Score) > 0, 1, -1), (Timestamp, FeedbackId)) AS Thumb
        FROM feedback
        WHERE TraceId IN (SELECT TraceId FROM spans) AND AnnotatorKind = 'HUMAN' AND Name = 'user_feedback'
        GROUP BY SpanId, Voter
    )
SELECT
    s.PromptHash AS prompt_hash,
    groupArrayIf(s.SpanId, v.Thumb > 0) AS ups,
    groupArrayIf(s.SpanId, v.Thumb < 0) AS downs
FROM spans AS s
INNER JOIN votes AS v ON v.SpanId = s.SpanId
GROUP BY s.PromptHash
