-- Which of some pairs have a review outcome (pair_review), so a resolution names a labelled pair.
SELECT pair_id FROM pair_review WHERE pair_id IN {pairs:Array(String)}
