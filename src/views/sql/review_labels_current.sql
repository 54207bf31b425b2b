-- Each annotator's current label per pair: the latest row of review_labels (history is kept there; a
-- changed label is a new row). An undo writes 'retracted', which leaves the annotator with no label.
-- label_id breaks a tie between two labels stamped in the same millisecond (ids sort by time).
CREATE OR REPLACE VIEW ${db}.review_labels_current ${on_cluster} AS
SELECT pair_id, annotator_id, current AS preferred, last_at AS labelled_at
FROM
(
    SELECT
        pair_id,
        annotator_id,
        argMax(preferred, (labelled_at, label_id)) AS current,
        max(labelled_at) AS last_at
    FROM ${db}.review_labels
    GROUP BY pair_id, annotator_id
)
WHERE current != 'retracted';
