-- Contradictions left out of preference_pairs, and the KTO examples by label.
SELECT
    (SELECT count() FROM pair_contradictions) AS contradictions,
    (SELECT countIf(label) FROM kto_examples) AS kto_desirable,
    (SELECT countIf(NOT label) FROM kto_examples) AS kto_undesirable
