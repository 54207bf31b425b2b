-- Pairs per day, source and review band (the band people's labels put the pair in, pair_review; 'unlabelled'
-- when none), counted on keys (no texts joined). Newest days first; the page keeps the last 30.
SELECT
    toString(toDate(k.created)) AS day,
    k.source AS source,
    if(h.pair_id = '', 'unlabelled', h.band) AS band,
    count() AS pairs
FROM preference_pair_keys AS k
LEFT ANY JOIN pair_review AS h ON h.pair_id = k.pair_id
GROUP BY day, source, band
ORDER BY day DESC, source, band
LIMIT 2000
