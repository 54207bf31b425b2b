-- What a measurement needs besides the counts: the floor from the rubric file (pair_settings, '' when
-- never written), the current combination's version ('' when no rubric feeds Path A) and how many
-- human pairs there are.
SELECT
    (SELECT argMax(Value, UpdatedAt) FROM pair_settings WHERE Key = 'rubric_agreement_floor') AS floor,
    (SELECT any(RubricVersion) FROM rubric_combination) AS combination,
    (SELECT count() FROM (SELECT DISTINCT chosen_span_id, rejected_span_id FROM pair_keys_feedback)) AS human_pairs
