-- One page of the pairs table: newest first, optionally one source and a case-insensitive search in the
-- prompt and both answers. Every value arrives as a query parameter; texts are cut for the table.
SELECT
    pair_id,
    source,
    margin,
    -- People's agreement on the pair: the review annotators' (chance-corrected) when labelled, else the thumbs'.
    if(JSONHas(metadata, 'annotator_agreement'), JSONExtractFloat(metadata, 'annotator_agreement'), agreement) AS agreement,
    JSONExtractString(metadata, 'band') AS band,
    substring(prompt, 1, 4000) AS prompt,
    substring(chosen, 1, 1000) AS chosen,
    substring(rejected, 1, 1000) AS rejected,
    toString(created) AS created
FROM preference_pairs
WHERE ({source:String} = '' OR source = {source:String})
  AND ({q:String} = ''
       OR positionCaseInsensitiveUTF8(prompt, {q:String}) > 0
       OR positionCaseInsensitiveUTF8(chosen, {q:String}) > 0
       OR positionCaseInsensitiveUTF8(rejected, {q:String}) > 0)
ORDER BY created DESC, pair_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
