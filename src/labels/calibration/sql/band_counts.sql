-- Labelled pairs per band (pair_review), with how many of them a reviewer has resolved.
SELECT band, toUInt32(count()) AS pairs, toUInt32(countIf(resolved = 1)) AS resolved
FROM pair_review
GROUP BY band
ORDER BY band
