-- How many pairs each source found, counting a pair found by several sources once per source.
SELECT arrayJoin(sources) AS source, count() AS pairs
FROM preference_pair_keys
GROUP BY source
ORDER BY source
