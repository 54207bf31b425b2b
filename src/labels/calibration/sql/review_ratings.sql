-- Every annotator's current rating of every reviewed pair, a skip being no rating: the input of
-- `prefloop agreement` on the store (review_labels_current, retracted labels already dropped), with the
-- side the annotator saw the chosen answer on (a_is_chosen: 1 when it was answer A, shown left), for
-- position bias.
SELECT l.pair_id AS pair_id, l.annotator_id AS annotator_id, toString(l.preferred) AS preferred, a.a_is_chosen AS a_is_chosen
FROM review_labels_current AS l
LEFT ANY JOIN
(
    SELECT pair_id, annotator_id, any(a_is_chosen) AS a_is_chosen
    FROM review_assignments
    GROUP BY pair_id, annotator_id
) AS a ON a.pair_id = l.pair_id AND a.annotator_id = l.annotator_id
WHERE l.preferred IN ('chosen', 'rejected', 'tie')
ORDER BY pair_id, annotator_id
