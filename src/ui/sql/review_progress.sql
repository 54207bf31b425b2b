-- The whole review queue's progress, every annotator together: assigned (pair, annotator) items and how many
-- have a current label (a skip counts as done, as in the annotator's own queue). Two totals and nothing
-- per annotator, so an annotator's token may read it.
SELECT count() AS total, countIf(l.pair_id != '') AS done
FROM
(
    SELECT DISTINCT pair_id, annotator_id FROM review_assignments
) AS a
LEFT ANY JOIN
(
    SELECT pair_id, annotator_id FROM review_labels_current
) AS l ON l.pair_id = a.pair_id AND l.annotator_id = a.annotator_id
