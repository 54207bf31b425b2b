-- An annotator's most recent current label: what an undo retracts.
SELECT pair_id, preferred
FROM review_labels_current
WHERE annotator_id = {annotator:String}
ORDER BY labelled_at DESC, pair_id
LIMIT 1
