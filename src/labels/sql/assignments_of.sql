-- The review assignments a batch of labels may refer to: those of its pairs, and those of its annotators
-- (to tell an unknown annotator from one this pair was not given to).
SELECT pair_id, annotator_id, any(a_is_chosen) AS a_is_chosen
FROM review_assignments
WHERE pair_id IN {pairs:Array(String)} OR annotator_id IN {annotators:Array(String)}
GROUP BY pair_id, annotator_id
