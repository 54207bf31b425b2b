-- Pairs per day, source and review band (the band people's labels put the pair in; 'unlabelled' when none),
-- from the snapshot {at}. Newest days first; the page keeps the last 30.
SELECT toString(toDate(created)) AS day, source, band, count() AS pairs
FROM ui_pairs
WHERE SnapshotAt = fromUnixTimestamp64Milli({at:Int64})
GROUP BY day, source, band
ORDER BY day DESC, source, band
LIMIT 2000
