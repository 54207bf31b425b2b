-- Judge verdicts on synthetic answers (`prefloop synth`: a model's answers to curated prompts, not production
-- traffic) are marked, so their pairs say `synthetic` in metadata and export takes them only when asked.
ALTER TABLE ${db}.judge_verdicts ${on_cluster}
    ADD COLUMN IF NOT EXISTS Synthetic UInt8 DEFAULT 0;
