-- Each pair source's latest measured agreement with the human majority (source_agreement_current).
SELECT
    toString(source) AS source,
    toUInt32(items) AS items,
    kappa,
    ci_low,
    ci_high,
    toString(measured_at) AS measured_at
FROM source_agreement_current
ORDER BY source
