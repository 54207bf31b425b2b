-- Every labelled pair's primary source and the direction people gave it: what each source's agreement with
-- the human majority is measured on.
SELECT pair_id, source, human_direction FROM pair_review ORDER BY pair_id
