-- Review-band pairs no reviewer has resolved yet, with every current label and the texts as sampled.
SELECT
    p.pair_id AS pair_id,
    p.source AS source,
    p.annotator_agreement AS annotator_agreement,
    p.n_chosen AS n_chosen,
    p.n_rejected AS n_rejected,
    p.n_tie AS n_tie,
    p.human_direction AS majority,
    t.prompt AS prompt,
    t.chosen AS chosen,
    t.rejected AS rejected,
    l.labels AS labels
FROM pair_review AS p
LEFT ANY JOIN
(
    SELECT pair_id, any(prompt) AS prompt, any(chosen) AS chosen, any(rejected) AS rejected
    FROM review_assignments
    GROUP BY pair_id
) AS t ON t.pair_id = p.pair_id
LEFT ANY JOIN
(
    SELECT pair_id, groupArray(tuple(annotator_id, preferred)) AS labels
    FROM review_labels_current
    GROUP BY pair_id
) AS l ON l.pair_id = p.pair_id
WHERE p.band = 'review' AND p.resolved = 0
ORDER BY p.annotator_agreement, p.pair_id
LIMIT {limit:UInt32}
