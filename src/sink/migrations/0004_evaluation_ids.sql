-- Evaluation rows keep who and what they judge like feedback rows do: a CODE/LLM result naming only a
-- session, the upstream evaluator's id, and the record's deterministic id. The id joins the sorting key
-- (allowed for a column added in the same ALTER): it is what tells two upstream results of the same name
-- on one trace or session apart, while a retried delivery of the same result still collapses to one row.
ALTER TABLE ${db}.evaluations ${on_cluster}
    ADD COLUMN IF NOT EXISTS SessionId String DEFAULT '' AFTER SpanId,
    ADD COLUMN IF NOT EXISTS EvaluationId String AFTER SessionId,
    ADD COLUMN IF NOT EXISTS AnnotatorId String DEFAULT '' AFTER AnnotatorKind,
    MODIFY ORDER BY (TraceId, SpanId, Name, Identifier, Origin, EvaluationId);
