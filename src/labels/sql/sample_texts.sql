-- The texts of the drawn pairs as they stand now, copied into review_assignments so a label always refers
-- to what the annotator saw.
SELECT pair_id, source, prompt, chosen, rejected, chosen_span_id, rejected_span_id
FROM preference_pairs
WHERE pair_id IN {ids:Array(String)}
