-- Every annotator's current rating of every reviewed pair, a skip being no rating: the input of
-- `prefloop agreement` on the store (review_labels_current, retracted labels already dropped).
SELECT pair_id, annotator_id, toString(preferred) AS preferred
FROM review_labels_current
WHERE preferred IN ('chosen', 'rejected', 'tie')
ORDER BY pair_id, annotator_id
