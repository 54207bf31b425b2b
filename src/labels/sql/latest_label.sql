-- An annotator's most recent current label: what an undo retracts, with the item id the annotator's page
-- knows it by. Read from review_labels rather than the current view so label_id orders two labels stamped
-- in the same millisecond (ids sort by writing).
SELECT l.pair_id AS pair_id, a.item_id AS item_id
FROM
(
    SELECT pair_id, argMax(preferred, (labelled_at, label_id)) AS current, max((labelled_at, label_id)) AS last
    FROM review_labels
    WHERE annotator_id = {annotator:String}
    GROUP BY pair_id
    HAVING current != 'retracted'
    ORDER BY last DESC
    LIMIT 1
) AS l
LEFT ANY JOIN
(
    SELECT pair_id, item_id FROM review_assignments WHERE annotator_id = {annotator:String}
) AS a ON a.pair_id = l.pair_id
