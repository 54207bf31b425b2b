-- Marks every merged pair of the given prompt hashes deleted (Version {version}); the merge rewrites them at
-- {version} + 1.
INSERT INTO ${db}.pair_groups_state
SELECT * EXCEPT (Version, Deleted), {version:UInt64} AS Version, 1 AS Deleted
FROM ${db}.pair_groups_state FINAL
WHERE prompt_hash IN {hashes:Array(String)}
