-- An annotator's assigned pairs without a current label (a skip counts as done), in a fixed per-annotator
-- order; texts as copied at sampling time. done/total count the whole assignment. The item goes by its
-- random item_id: the pair id (a hash of the texts in chosen/rejected order) never leaves the server here.
SELECT
    a.item_id AS item_id,
    a.prompt AS prompt,
    a.chosen AS chosen,
    a.rejected AS rejected,
    a.a_is_chosen AS a_is_chosen,
    l.pair_id != '' AS done,
    count() OVER () AS total,
    countIf(l.pair_id != '') OVER () AS done_count
FROM
(
    SELECT * FROM review_assignments WHERE annotator_id = {annotator:String} LIMIT 1 BY pair_id
) AS a
LEFT ANY JOIN
(
    SELECT pair_id FROM review_labels_current WHERE annotator_id = {annotator:String}
) AS l ON l.pair_id = a.pair_id
-- Within one sampling, by the random item id: an order by a hash of the pair id would leak too (each
-- candidate pair id an annotator computes from the texts predicts a place in the order). The pair-id hash
-- only breaks ties between rows without an item id.
ORDER BY done, a.assigned_at, a.item_id, cityHash64(a.pair_id, a.annotator_id)
LIMIT {limit:UInt32}
