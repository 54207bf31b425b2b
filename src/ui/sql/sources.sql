-- The pair sources present, for the table's filter.
SELECT source, count() AS pairs FROM preference_pair_keys GROUP BY source ORDER BY source LIMIT 20
