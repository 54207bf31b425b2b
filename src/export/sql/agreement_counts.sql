-- Each rubric version's (the combined score's, each judge's) counts against the human pairs, live
-- (rubric_agreement_counts); the human pair count comes with agreement_context.sql.
SELECT
    rubric_id,
    rubric_version,
    scored,
    separated,
    agreed
FROM rubric_agreement_counts
ORDER BY rubric_id, rubric_version
