-- Every reviewed pair with its texts as the annotators saw them (review_assignments) and each
-- annotator's current rating (a skip is none): what `prefloop calibrate --judge` puts to the judge.
SELECT
    a.pair_id AS pair_id,
    any(a.prompt) AS prompt,
    any(a.chosen) AS chosen,
    any(a.rejected) AS rejected,
    groupArray(tuple(l.annotator_id, toString(l.preferred))) AS labels
FROM
(
    SELECT pair_id, any(prompt) AS prompt, any(chosen) AS chosen, any(rejected) AS rejected
    FROM review_assignments
    GROUP BY pair_id
) AS a
INNER JOIN review_labels_current AS l ON l.pair_id = a.pair_id
WHERE l.preferred IN ('chosen', 'rejected', 'tie')
GROUP BY a.pair_id
ORDER BY a.pair_id
LIMIT {limit:UInt32}
