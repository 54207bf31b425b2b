-- An annotator's most recent current label: what an undo retracts. Read from review_labels rather than
-- the current view so label_id orders two labels stamped in the same millisecond (ids sort by writing).
SELECT pair_id, argMax(preferred, (labelled_at, label_id)) AS current, max((labelled_at, label_id)) AS last
FROM review_labels
WHERE annotator_id = {annotator:String}
GROUP BY pair_id
HAVING current != 'retracted'
ORDER BY last DESC
LIMIT 1
