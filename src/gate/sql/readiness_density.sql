-- Readiness: preference pairs per prompt class (every source that export would consider).
SELECT prompt_class, count() AS pairs
FROM preference_pairs
GROUP BY prompt_class
