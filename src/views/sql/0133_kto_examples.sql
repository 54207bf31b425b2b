-- Unpaired preference data (KTO): every answer with a decided human thumb (majority of voters, ties
-- left out) or an accepted regenerate, labelled true (desirable) or false. `paired` says whether the
-- answer is also in a feedback pair, for those who want only the thumbs no pair could use.
CREATE OR REPLACE VIEW ${db}.kto_examples ${on_cluster} AS
SELECT
    s.SpanId AS span_id,
    s.PromptHash AS prompt_hash,
    s.PromptClass AS prompt_class,
    s.PromptMessages AS prompt,
    s.Response AS completion,
    CAST(p.Thumb > 0, 'Bool') AS label,
    p.Kind AS kind,
    p.Agreement AS agreement,
    s.Timestamp AS created,
    CAST(s.SpanId IN (SELECT chosen_span_id FROM ${db}.pairs_feedback UNION ALL SELECT rejected_span_id FROM ${db}.pairs_feedback), 'Bool') AS paired
FROM ${db}.span_preferences AS p
INNER JOIN ${db}.llm_spans AS s ON s.SpanId = p.SpanId;
