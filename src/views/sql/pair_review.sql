-- Per labelled pair (two or more current chosen/rejected/tie labels; a skip is no rating): the label
-- counts, the annotators' chance-corrected agreement on it (Fleiss' per-item term
-- (P_i − P_e) / (1 − P_e), P_i the share of agreeing rater pairs on the pair, P_e = Σ p_k² from the
-- category shares of every rating in this view; 1 when P_e = 1; same as fleissItemAgreement in
-- src/labels/stats/fleiss.ts), its band (below review_discard_below 'discard', from review_train_from
-- 'train', between 'review'; pair_settings, defaults 0.5 and 0.7) and the direction people give it:
-- a reviewer's latest resolution when there is one, else the majority ('chosen' keeps the pair as it
-- stands, 'rejected' flips it, 'void' — no strict majority, or most said tie — drops it).
CREATE OR REPLACE VIEW ${db}.pair_review ${on_cluster} AS
WITH
    ifNull(toFloat64OrNull((SELECT argMax(Value, UpdatedAt) FROM ${db}.pair_settings WHERE Key = 'review_discard_below')), 0.5) AS discard_below,
    ifNull(toFloat64OrNull((SELECT argMax(Value, UpdatedAt) FROM ${db}.pair_settings WHERE Key = 'review_train_from')), 0.7) AS train_from
SELECT
    c.pair_id AS pair_id,
    a.source AS source,
    c.labels AS labels,
    c.n_chosen AS n_chosen,
    c.n_rejected AS n_rejected,
    c.n_tie AS n_tie,
    c.n_skip AS n_skip,
    c.annotator_agreement AS annotator_agreement,
    multiIf(c.annotator_agreement < discard_below, 'discard', c.annotator_agreement < train_from, 'review', 'train') AS band,
    if(r.pair_id != '', r.resolution,
        multiIf(c.n_chosen > c.n_rejected AND c.n_chosen > c.n_tie, 'chosen',
                c.n_rejected > c.n_chosen AND c.n_rejected > c.n_tie, 'rejected', 'void')) AS human_direction,
    toUInt8(r.pair_id != '') AS resolved
FROM
(
    SELECT
        *,
        (n_chosen * n_chosen + n_rejected * n_rejected + n_tie * n_tie - labels) / (labels * (labels - 1)) AS p_i,
        (pow(sum(n_chosen) OVER (), 2) + pow(sum(n_rejected) OVER (), 2) + pow(sum(n_tie) OVER (), 2))
            / pow(sum(labels) OVER (), 2) AS p_e,
        if(p_e >= 1, 1., (p_i - p_e) / (1 - p_e)) AS annotator_agreement
    FROM
    (
        SELECT
            pair_id,
            toUInt32(countIf(preferred = 'chosen')) AS n_chosen,
            toUInt32(countIf(preferred = 'rejected')) AS n_rejected,
            toUInt32(countIf(preferred = 'tie')) AS n_tie,
            toUInt32(countIf(preferred = 'skip')) AS n_skip,
            toUInt32(n_chosen + n_rejected + n_tie) AS labels
        FROM ${db}.review_labels_current
        GROUP BY pair_id
    )
    WHERE labels >= 2
) AS c
LEFT ANY JOIN
(
    SELECT pair_id, any(source) AS source FROM ${db}.review_assignments GROUP BY pair_id
) AS a ON a.pair_id = c.pair_id
LEFT ANY JOIN
(
    SELECT pair_id, argMax(resolution, resolved_at) AS resolution FROM ${db}.review_resolutions GROUP BY pair_id
) AS r ON r.pair_id = c.pair_id;
