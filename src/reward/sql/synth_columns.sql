-- The columns of judge_verdicts: synth checks the store has been migrated to mark verdicts synthetic.
DESCRIBE TABLE judge_verdicts
