-- Readiness: label counts of every pair two or more people labelled (pair_review), for Fleiss' kappa.
SELECT n_chosen, n_rejected, n_tie
FROM pair_review
WHERE labels >= 2
