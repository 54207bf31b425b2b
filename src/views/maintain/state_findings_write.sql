-- Writes one source's current findings for a pass's units into pair_findings_state (Version {version}). The
-- source's per-unit rule (<source>_findings.sql) is put in below by maintainPairs.ts, and the column its units
-- are (prompt_hash or prompt_class). pair_id, undirected_id, forward and the same-answer filter are pairs_all's.
INSERT INTO ${db}.pair_findings_state
    (unit, source, pair_id, undirected_id, forward, prompt_hash, prompt_class, prompt_span_id, chosen_span_id,
     rejected_span_id, chosen_hash, rejected_hash, fix_response, margin, created, agreement, metadata, Version, Deleted)
SELECT
    ${unit} AS unit,
    source,
    lower(hex(substring(SHA256(concat(prompt_hash, '\0', chosen_hash, rejected_hash)), 1, 16))) AS pair_id,
    lower(hex(substring(SHA256(concat(prompt_hash, '\0', least(chosen_hash, rejected_hash), greatest(chosen_hash, rejected_hash))), 1, 16))) AS undirected_id,
    chosen_hash < rejected_hash AS forward,
    prompt_hash,
    prompt_class,
    prompt_span_id,
    chosen_span_id,
    rejected_span_id,
    chosen_hash,
    rejected_hash,
    fix_response,
    margin,
    created,
    agreement,
    metadata,
    {version:UInt64} AS Version,
    0 AS Deleted
FROM
(
${findings}
)
WHERE chosen_hash != rejected_hash
