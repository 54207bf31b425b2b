-- Readiness: distinct rubric file versions (set hashes) behind prefloop's results in the window.
SELECT uniqExact(JSONExtractString(Metadata, 'rubric_file_hash')) AS file_versions
FROM evaluations
WHERE Timestamp >= fromUnixTimestamp64Milli({since_ms:Int64}) AND Origin = 'prefloop'
    AND JSONExtractString(Metadata, 'rubric_file_hash') != ''
