-- Spans with a decided human preference, as +1 (preferred) / -1 (rejected):
--   thumbs      the span's majority thumb (span_thumbs), Net = (ups - downs) / voters;
--   regenerate  implicit acceptance: in one session, after an answer to a prompt got a thumbs down
--               and the user regenerated, the last answer to that same prompt, if nobody thumbed
--               it, is the one they accepted (Net = 0.5: weaker than an explicit thumbs up).
CREATE OR REPLACE VIEW ${db}.span_preferences ${on_cluster} AS
SELECT
    SpanId,
    Thumb,
    Ups,
    Downs,
    toFloat64(Agreement) AS Agreement,
    'thumbs' AS Kind,
    toFloat64((Ups - Downs) / (Ups + Downs)) AS Net
FROM ${db}.span_thumbs
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
    FROM ${db}.llm_span_keys AS s
    LEFT JOIN ${db}.span_thumbs AS t ON s.SpanId = t.SpanId
    WHERE s.SessionId != ''
    GROUP BY s.SessionId, s.PromptHash
    HAVING count() >= 2 AND Downvoted > 0 AND LastVotes = 0
);
