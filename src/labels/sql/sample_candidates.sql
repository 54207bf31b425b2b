-- Pairs `prefloop review sample` may draw: every pair not yet sampled for review (any annotator), optionally
-- of some sources only, with the noise floor its source recorded (rubric pairs; NaN when none).
SELECT
    pair_id,
    source,
    toFloat64(margin) AS margin,
    if(JSONHas(metadata, source, 'noise_floor'), JSONExtractFloat(metadata, source, 'noise_floor'), nan) AS noise_floor
FROM preference_pair_keys
WHERE pair_id NOT IN (SELECT pair_id FROM review_assignments)
    AND ({sources:String} = '' OR has(splitByChar(',', {sources:String}), source))
ORDER BY pair_id
