-- Readiness: how many versions of each rubric (and of the rubric file, from the results' metadata) scored
-- spans in the window. prefloop's own results only: an upstream evaluator's versions are not ours to judge.
SELECT
    toString(Name) AS rubric,
    uniqExact(RubricVersion) AS versions,
    uniqExact(JSONExtractString(Metadata, 'rubric_file_hash')) AS file_versions
FROM evaluations
WHERE Timestamp >= fromUnixTimestamp64Milli({since_ms:Int64}) AND Origin = 'prefloop'
GROUP BY rubric
ORDER BY rubric
