-- Evaluation rows keep who and what they judge like feedback rows do: a CODE/LLM result naming only a
-- session, the upstream evaluator's id, and the record's deterministic id.
ALTER TABLE ${db}.evaluations ${on_cluster}
    ADD COLUMN IF NOT EXISTS SessionId String DEFAULT '' AFTER SpanId,
    ADD COLUMN IF NOT EXISTS EvaluationId String DEFAULT '' AFTER SessionId,
    ADD COLUMN IF NOT EXISTS AnnotatorId String DEFAULT '' AFTER AnnotatorKind;
