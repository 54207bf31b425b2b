-- A fix becomes a Path B pair only after the rubric file re-scores it (src/cluster/rescoreFix.ts):
-- Status is `proposed` (not scored yet), `passed` or `failed` (the rescoring: the fix against the
-- rubrics its exemplar failed), `approved` or `rejected` (a person's review). Rows written straight
-- into the table by SQL, as before this migration, count as approved by whoever wrote them.
-- Scores holds the fix's rubric results as a JSON array [{rubric, score, label, passed, required}];
-- RequiredRubrics the rubrics the exemplar failed (the ones the fix must pass).
ALTER TABLE ${db}.cluster_fixes ${on_cluster}
    ADD COLUMN IF NOT EXISTS Status LowCardinality(String) DEFAULT 'approved',
    ADD COLUMN IF NOT EXISTS Scores String DEFAULT '[]',
    ADD COLUMN IF NOT EXISTS RequiredRubrics Array(String) DEFAULT [],
    ADD COLUMN IF NOT EXISTS Reviewer String DEFAULT '';

-- Which embedder a run used (`lexical`, `openai:<model>`, or `lexical (fallback from openai:<model>)`).
ALTER TABLE ${db}.cluster_runs ${on_cluster}
    ADD COLUMN IF NOT EXISTS Embedder String DEFAULT '';
