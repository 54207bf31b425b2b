-- The watermark of the last maintenance pass (UTC text), NULL before the first.
SELECT if(count() = 0, NULL, toString(max(Watermark), 'UTC')) AS w FROM ${db}.pair_maintenance
