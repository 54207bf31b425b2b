-- Pairs to export. Every filter is a query parameter and lets everything through at its neutral
-- value ('' or the widest range), so this one statement serves every combination of options.
-- An agreement band asked by name (band) keeps pairs whose review band is that band (pair_review, docs/review.md),
-- or, for pairs nobody reviewed, whose thumbs majority share falls in it; a pair with neither has no band and
-- does not pass. A numeric range (agreement_min/max) reads the same agreement, and lets pairs without one through.
-- review_band / human_direction / resolved feed the review gate (src/export/reviewGate.ts).
SELECT
    pair_id,
    source,
    sources,
    prompt,
    chosen,
    rejected,
    margin,
    prompt_class,
    prompt_hash,
    chosen_span_id,
    rejected_span_id,
    toUnixTimestamp64Milli(created) AS created_ms,
    agreement,
    rubric_versions,
    metadata,
    rubric_gate,
    JSONExtractString(metadata, 'band') AS review_band,
    JSONExtractString(metadata, 'human_direction') AS human_direction,
    JSONExtractBool(metadata, 'resolved') AS resolved,
    if(JSONHas(metadata, 'annotator_agreement'), toNullable(JSONExtractFloat(metadata, 'annotator_agreement')), agreement) AS any_agreement,
    multiIf(review_band != '', review_band, agreement IS NULL, '', agreement < 0.5, 'discard', agreement < 0.7, 'review', 'train') AS band
FROM preference_pairs
WHERE ({sources:String} = '' OR arrayExists(s -> has(splitByChar(',', {sources:String}), s), sources))
    AND margin >= {min_margin:Float64}
    AND toUnixTimestamp64Milli(created) >= {since_ms:Int64}
    AND toUnixTimestamp64Milli(created) < {until_ms:Int64}
    AND ({prompt_class:String} = '' OR prompt_class = {prompt_class:String})
    AND ({band:String} = '' OR band = {band:String})
    AND ({band:String} != '' OR any_agreement IS NULL OR (any_agreement >= {agreement_min:Float64} AND any_agreement < {agreement_max:Float64}))
ORDER BY pair_id
