-- One verdict per span from all its human thumbs. Each voter counts once with their latest thumb
-- (a user who changes their mind is not two votes); across voters the majority decides, and a tie
-- (e.g. one user up, another down) decides nothing: Thumb = 0, the span is in no feedback pair and
-- no KTO example. Agreement is the majority's share of voters, kept as pair metadata.
CREATE OR REPLACE VIEW ${db}.span_thumbs ${on_cluster} AS
SELECT
    TargetSpanId AS SpanId,
    countIf(VoterThumb > 0) AS Ups,
    countIf(VoterThumb < 0) AS Downs,
    toInt8(sign(Ups - Downs)) AS Thumb,
    greatest(Ups, Downs) / (Ups + Downs) AS Agreement,
    max(VotedAt) AS LastFeedbackAt
FROM
(
    SELECT
        TargetSpanId,
        Voter,
        argMax(Thumb, (Timestamp, FeedbackId)) AS VoterThumb,
        max(Timestamp) AS VotedAt
    FROM ${db}.feedback_resolved
    WHERE TargetSpanId != ''
    GROUP BY TargetSpanId, Voter
)
GROUP BY TargetSpanId;
