-- Pairs per day, source and review band (the band the human labels put the pair in; 'unlabelled' when none),
-- counted on keys (no texts joined). Newest days first; the page keeps the last 30.
SELECT
    toString(toDate(created)) AS day,
    source,
    if(JSONExtractString(metadata, 'band') = '', 'unlabelled', JSONExtractString(metadata, 'band')) AS band,
    count() AS pairs
FROM preference_pair_keys
GROUP BY day, source, band
ORDER BY day DESC, source, band
LIMIT 2000
