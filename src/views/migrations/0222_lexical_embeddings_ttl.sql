-- Lexical vectors are fitted per window (their Model key carries the window's fingerprint), so serve's sliding
-- schedule stores a new copy of every vector each run and never reads an old one again: without a bound,
-- span_embeddings grows by a window's vectors per run. They expire after two days; vectors from an embeddings
-- endpoint (reused across runs, and paid for) are kept.
ALTER TABLE ${db}.span_embeddings ${on_cluster}
    MODIFY TTL toDateTime(CreatedAt) + INTERVAL 2 DAY DELETE WHERE startsWith(Model, 'lexical');
