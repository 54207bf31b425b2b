-- Path A's matching, before the noise floor: within one prompt class, among answers scored by the same
-- rubrics (span_rubric_scores.Applied), answers ranked by combined score are paired from the outside in (best with worst, second best with second worst,
-- ...), so each answer is in at most one match and the widest gaps come first. `high` and `low` are
-- (SpanId, Combined, NoiseFloor, Scores, Versions, PromptHash, ResponseHash, Timestamp); gap and
-- noise_floor are the two answers' combined-score gap and the larger of their floors. Matches past the
-- floor are rubric pairs (pair_keys_rubric); matches within it go to review (rubric_review_pairs).
CREATE OR REPLACE VIEW ${db}.rubric_matches ${on_cluster} AS
WITH ranked AS
(
    SELECT
        s.PromptClass AS PromptClass,
        arraySort(x -> (-x.2, x.1), groupArray(tuple(s.SpanId, r.Combined, r.NoiseFloor, r.Scores, r.Versions, s.PromptHash, s.ResponseHash, s.Timestamp))) AS answers
    FROM ${db}.span_rubric_scores AS r
    INNER JOIN ${db}.llm_span_keys AS s ON s.SpanId = r.SpanId
    GROUP BY s.PromptClass, r.Applied
    HAVING length(answers) >= 2
)
SELECT
    PromptClass,
    answers[k + 1] AS high,
    answers[length(answers) - k] AS low,
    high.2 - low.2 AS gap,
    greatest(high.3, low.3) AS noise_floor
FROM ranked
ARRAY JOIN range(intDiv(length(answers), 2)) AS k;
