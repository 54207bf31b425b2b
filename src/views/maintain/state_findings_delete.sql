-- Marks every current finding of the pass's units deleted (Version {version}); the pass then writes the units'
-- findings again at {version} + 1, so what the units no longer find stays deleted.
INSERT INTO ${db}.pair_findings_state
SELECT * EXCEPT (Version, Deleted), {version:UInt64} AS Version, 1 AS Deleted
FROM ${db}.pair_findings_state FINAL
WHERE source IN {sources:Array(String)} AND unit IN {units:Array(String)}
