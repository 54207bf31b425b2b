-- Unpaired preference data (KTO): every answer with a decided
-- human thumb (majority of voters, ties left out) or an accepted regenerate, labelled true (desirable)
-- or false. `paired` says whether the answer is also in a feedback pair. Keys first, texts joined last.
CREATE OR REPLACE VIEW ${db}.kto_examples ${on_cluster} AS
SELECT
    s.SpanId AS span_id,
    s.PromptHash AS prompt_hash,
    s.PromptClass AS prompt_class,
    t.PromptMessages AS prompt,
    t.Response AS completion,
    CAST(p.Thumb > 0, 'Bool') AS label,
    p.Kind AS kind,
    p.Agreement AS agreement,
    s.Timestamp AS created,
    CAST(s.SpanId IN (SELECT arrayJoin([chosen_span_id, rejected_span_id]) FROM ${db}.pair_keys_feedback), 'Bool') AS paired
FROM ${db}.span_preferences AS p
INNER JOIN ${db}.llm_span_keys AS s ON s.SpanId = p.SpanId
LEFT ANY JOIN ${db}.llm_span_texts AS t ON t.SpanId = s.SpanId;
