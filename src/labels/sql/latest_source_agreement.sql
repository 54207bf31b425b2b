-- The stored measurement per source (when the export cannot measure: read-only credentials).
SELECT source, items, kappa, ci_low, ci_high FROM source_agreement_current ORDER BY source
