-- How well each rubric version (and the combined score Path A pairs on) agrees with people: measured on
-- the human pairs in the store by refreshRubricAgreement (src/views/rubricAgreement.ts: `prefloop pairs`,
-- `prefloop export` and serve's schedule), one row per measurement; rubric_agreement_current reads the
-- latest per rubric version. Agreement = Agreed / Separated (the human pairs whose two answers the rubric
-- scores further apart than its noise floor); Lower/Upper its Wilson 95% interval; Status 'agrees' when
-- Lower > Floor, 'below_floor' otherwise, 'unknown' when it separates no human pair.
CREATE TABLE IF NOT EXISTS ${db}.rubric_agreement ${on_cluster} (
    MeasuredAt DateTime64(3),
    RubricId LowCardinality(String),
    RubricVersion String,
    HumanPairs UInt32,
    Scored UInt32,
    Separated UInt32,
    Agreed UInt32,
    Agreement Nullable(Float64),
    Lower Float64,
    Upper Float64,
    Floor Float64,
    Status LowCardinality(String)
) ENGINE = ${engine:ReplacingMergeTree(MeasuredAt)}
ORDER BY (RubricId, RubricVersion, MeasuredAt);
