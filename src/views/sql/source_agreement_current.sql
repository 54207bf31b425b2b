-- Each pair source's latest measured agreement with the human majority (source_agreement, written by
-- refreshSourceAgreement in src/labels/sourceAgreement.ts). `prefloop export` gates on it.
CREATE OR REPLACE VIEW ${db}.source_agreement_current ${on_cluster} AS
SELECT
    source,
    latest.1 AS measured_at,
    latest.2 AS items,
    latest.3 AS kappa,
    latest.4 AS ci_low,
    latest.5 AS ci_high
FROM
(
    SELECT source, argMax(tuple(measured_at, items, kappa, ci_low, ci_high), measured_at) AS latest
    FROM ${db}.source_agreement
    GROUP BY source
);
