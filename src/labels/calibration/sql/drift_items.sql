-- The spot-checked judge pairs (review_assignments stratum 'spot_check') with people's current labels
-- given within the window, and the judge's latest verdict on the same two answers per rubric (whichever
-- rubric version gave it: the drift alarm watches the judge as it serves now): 'chosen' when it picked the
-- answer shown as chosen, 'rejected' when the other, 'tie' for a tie or an order flip. One verdict per
-- (rubric, answer pair), so a pair judged by two rubric versions neither counts its labels twice (which
-- would distort the human–human baseline) nor picks a version at random.
WITH v AS
(
    SELECT
        RubricId,
        least(SpanIdA, SpanIdB) AS Lo,
        greatest(SpanIdA, SpanIdB) AS Hi,
        argMax(RubricVersion, IngestedAt) AS Version,
        argMax(JudgeModel, IngestedAt) AS Model,
        argMax(lower(Winner), IngestedAt) AS W,
        argMax(Flipped, IngestedAt) AS F,
        argMax(if(lower(Winner) = 'a', SpanIdA, SpanIdB), IngestedAt) AS WinnerSpan
    FROM judge_verdicts
    GROUP BY RubricId, Lo, Hi
)
SELECT
    toString(v.RubricId) AS rubric_id,
    any(concat(v.RubricId, '@', v.Version, '/', v.Model)) AS judge_version,
    a.pair_id AS pair_id,
    any(if(v.F = 1 OR v.W NOT IN ('a', 'b'), 'tie', if(v.WinnerSpan = a.c, 'chosen', 'rejected'))) AS verdict,
    groupArray(tuple(l.annotator_id, toString(l.preferred))) AS labels
FROM
(
    SELECT pair_id, any(chosen_span_id) AS c, any(rejected_span_id) AS r
    FROM review_assignments
    WHERE stratum = 'spot_check'
    GROUP BY pair_id
) AS a
INNER JOIN review_labels_current AS l ON l.pair_id = a.pair_id
INNER JOIN v ON v.Lo = least(a.c, a.r) AND v.Hi = greatest(a.c, a.r)
WHERE l.preferred IN ('chosen', 'rejected', 'tie')
    AND l.labelled_at >= fromUnixTimestamp64Milli({since_ms:Int64})
GROUP BY v.RubricId, a.pair_id
ORDER BY rubric_id, pair_id
