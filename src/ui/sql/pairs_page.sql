-- One page of the pairs table from the snapshot {at}: newest first, optionally one source and a
-- case-insensitive search in the prompt and both answers (their first 2000/1000 characters, as copied).
-- Every value arrives as a query parameter.
SELECT pair_id, source, margin, agreement, band, prompt, chosen, rejected, toString(created) AS created
FROM ui_pairs
WHERE SnapshotAt = fromUnixTimestamp64Milli({at:Int64})
  AND ({source:String} = '' OR source = {source:String})
  AND ({q:String} = ''
       OR positionCaseInsensitiveUTF8(prompt, {q:String}) > 0
       OR positionCaseInsensitiveUTF8(chosen, {q:String}) > 0
       OR positionCaseInsensitiveUTF8(rejected, {q:String}) > 0)
ORDER BY created DESC, pair_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
