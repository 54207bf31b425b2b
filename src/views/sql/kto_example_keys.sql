-- Unpaired preference data (KTO) by keys: every distinct answer to a prompt with a decided human
-- preference (majority thumb, ties left out, or an accepted regenerate), labelled true (desirable) or
-- false. The same prompt and answer stored by several spans is one example: their preferences add up
-- (+1/-1 each), a tie between them is left out, and the earliest span stands for it. `paired` says
-- whether any of those spans is also in a feedback pair.
CREATE OR REPLACE VIEW ${db}.kto_example_keys ${on_cluster} AS
SELECT
    argMin(s.SpanId, (s.Timestamp, s.SpanId)) AS span_id,
    s.PromptHash AS prompt_hash,
    argMin(s.PromptClass, (s.Timestamp, s.SpanId)) AS prompt_class,
    CAST(sum(p.Thumb) > 0, 'Bool') AS label,
    argMin(p.Kind, (s.Timestamp, s.SpanId)) AS kind,
    min(p.Agreement) AS agreement,
    min(s.Timestamp) AS created,
    CAST(max(s.SpanId IN (SELECT arrayJoin([chosen_span_id, rejected_span_id]) FROM ${db}.pair_keys_feedback)), 'Bool') AS paired
FROM ${db}.span_preferences AS p
INNER JOIN ${db}.llm_span_keys AS s ON s.SpanId = p.SpanId
GROUP BY s.PromptHash, s.ResponseHash
HAVING sum(p.Thumb) != 0;
