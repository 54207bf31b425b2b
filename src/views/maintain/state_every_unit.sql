-- Every unit a full pass recomputes: the prompt hashes ('h') and classes ('c') of the stored spans, and the units
-- the state holds (so a unit whose spans are gone is emptied too).
SELECT DISTINCT 'h' AS kind, PromptHash AS unit FROM ${db}.llm_span_index
UNION ALL
SELECT DISTINCT 'c' AS kind, PromptClass AS unit FROM ${db}.llm_span_index
UNION ALL
SELECT DISTINCT if(source IN ('rubric', 'session'), 'c', 'h') AS kind, unit FROM ${db}.pair_findings_state FINAL
