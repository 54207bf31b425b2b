-- Rubric matches whose combined-score gap is above zero but within the noise floor: not pairs (the
-- rubric cannot tell these answers apart reliably), kept for a person to decide (the review queue takes
-- them; `prefloop pairs` counts them). Same keys as pair_keys_rubric, higher-scored answer first.
CREATE OR REPLACE VIEW ${db}.rubric_review_pairs ${on_cluster} AS
SELECT
    high.6 AS prompt_hash,
    PromptClass AS prompt_class,
    high.1 AS higher_span_id,
    low.1 AS lower_span_id,
    toFloat64(gap) AS gap,
    toFloat64(noise_floor) AS noise_floor,
    high.5 AS rubric_versions
FROM ${db}.rubric_matches
WHERE gap > 0 AND gap <= noise_floor;
