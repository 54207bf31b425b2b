-- Beside the pairs: the KTO examples by label (counted on keys: kto_example_keys), human
-- feedback that matches no stored span yet, and rubric matches within the noise floor (for review).
SELECT
    (SELECT countIf(label) FROM kto_example_keys) AS kto_desirable,
    (SELECT countIf(NOT label) FROM kto_example_keys) AS kto_undesirable,
    (SELECT count() FROM feedback_unmatched) AS unmatched_feedback,
    (SELECT count() FROM rubric_review_pairs) AS rubric_review
