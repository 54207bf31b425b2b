-- The prompt hashes a pass's findings rewrite touched (its Deleted markers at {version}, its rows at {version} + 1),
-- and on a full pass also every prompt hash the merged state holds: each is merged again.
SELECT DISTINCT prompt_hash AS h FROM ${db}.pair_findings_state WHERE Version BETWEEN {version:UInt64} AND {version:UInt64} + 1
UNION DISTINCT
SELECT DISTINCT prompt_hash AS h FROM ${db}.pair_groups_state FINAL WHERE {full:UInt8} = 1
