-- Each rubric version's (and the combined score's) counts against the human pairs, live
-- (rubric_agreement_counts), beside the current combination, the floor and the human pair count.
SELECT
    rubric_id,
    rubric_version,
    human_pairs,
    scored,
    separated,
    agreed
FROM rubric_agreement_counts
ORDER BY rubric_id, rubric_version
