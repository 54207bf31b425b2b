-- Judge pairs not yet sent to review, with the texts as they stand now (copied into review_assignments
-- so a label always refers to what the annotator saw). The spot-check share is drawn from these.
SELECT pair_id, toString(source) AS source, prompt, chosen, rejected, chosen_span_id, rejected_span_id
FROM preference_pairs
WHERE has(sources, 'judge')
    AND pair_id NOT IN (SELECT pair_id FROM review_assignments)
    AND created >= fromUnixTimestamp64Milli({since_ms:Int64})
ORDER BY pair_id
LIMIT {limit:UInt32}
