-- The current labels of some pairs (to drop a repeated identical label).
SELECT pair_id, annotator_id, preferred
FROM review_labels_current
WHERE pair_id IN {pairs:Array(String)}
