-- Every current rating (a skip is none): the set the dataset-level kappa and alpha are computed on.
SELECT pair_id, annotator_id, preferred FROM review_labels_current WHERE preferred != 'skip' ORDER BY pair_id, annotator_id
