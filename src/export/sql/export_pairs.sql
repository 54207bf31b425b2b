-- Pairs to export. Every filter is a query parameter and lets everything through at its neutral
-- value ('' or the widest range), so this one statement serves every combination of options.
-- Pairs without human votes (agreement NULL) are not filtered by agreement.
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
    rubric_gate
FROM preference_pairs
WHERE ({sources:String} = '' OR arrayExists(s -> has(splitByChar(',', {sources:String}), s), sources))
    AND margin >= {min_margin:Float64}
    AND toUnixTimestamp64Milli(created) >= {since_ms:Int64}
    AND toUnixTimestamp64Milli(created) < {until_ms:Int64}
    AND ({prompt_class:String} = '' OR prompt_class = {prompt_class:String})
    AND (agreement IS NULL OR (agreement >= {agreement_min:Float64} AND agreement < {agreement_max:Float64}))
ORDER BY pair_id
