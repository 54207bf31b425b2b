-- The review assignments a batch of labels may refer to: those of its pairs, those of its annotators (to
-- tell an unknown annotator from one this pair was not given to), and those its item ids name.
SELECT pair_id, annotator_id, item_id, any(a_is_chosen) AS a_is_chosen
FROM review_assignments
WHERE pair_id IN {pairs:Array(String)} OR annotator_id IN {annotators:Array(String)}
    OR item_id IN {items:Array(String)}
GROUP BY pair_id, annotator_id, item_id
