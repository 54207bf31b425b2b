-- Unpaired thumbs to export (KTO); same parameters as export_pairs.sql where they apply
-- (sources and min_margin do not: an unpaired example has neither).
SELECT
    span_id,
    prompt_hash,
    prompt_class,
    prompt,
    completion,
    label,
    kind,
    agreement,
    toUnixTimestamp64Milli(created) AS created_ms
FROM kto_examples
WHERE toUnixTimestamp64Milli(created) >= {since_ms:Int64}
    AND toUnixTimestamp64Milli(created) < {until_ms:Int64}
    AND ({prompt_class:String} = '' OR prompt_class = {prompt_class:String})
    AND agreement >= {agreement_min:Float64} AND agreement < {agreement_max:Float64}
ORDER BY span_id
