-- Review items get an unguessable id (issue 24/25): the annotator's page names an item by item_id, never by
-- pair_id, which is a hash of the prompt, chosen and rejected hashes in that order — an annotator who knows
-- the scheme could hash both orders and tell which answer is chosen. `prefloop review sample` sets item_id
-- (128 random bits, hex) on every new row; the rows sampled before this migration get theirs here, once,
-- by a mutation (a DEFAULT with a random function would give another value on every read of an old part).
ALTER TABLE ${db}.review_assignments ${on_cluster}
    ADD COLUMN IF NOT EXISTS item_id String DEFAULT '';

-- Waits for the mutation (mutations_sync), so the first queue read after migrate sees the ids. On a cluster
-- (Replicated engine) ClickHouse refuses a random function in a mutation unless allowed: each replica draws
-- its own values for the rows it already had.
ALTER TABLE ${db}.review_assignments ${on_cluster}
    UPDATE item_id = lower(hex(randomString(16))) WHERE item_id = ''
    SETTINGS mutations_sync = 2, allow_nondeterministic_mutations = 1;
