// Names of the tables and helper views the pair views add (the public ones are in src/names.ts).
// TODO(lead): move these into src/names.ts (TABLES / VIEWS) and import them from there.

export const PAIR_TABLES = {
  rubricPairConfig: 'rubric_pair_config',
  pairSettings: 'pair_settings',
  /** Narrow keys of every pair-candidate LLM span, filled by a materialized view on otel_traces. */
  llmSpanIndex: 'llm_span_index',
  llmSpanIndexMv: 'llm_span_index_mv',
} as const;

export const PAIR_VIEWS = {
  rubricConfigCurrent: 'rubric_config_current',
  spanThumbs: 'span_thumbs',
  spanPreferences: 'span_preferences',
  sessionOutcomes: 'session_outcomes',
  spanRubricScores: 'span_rubric_scores',
  llmSpanKeys: 'llm_span_keys',
  llmSpanTexts: 'llm_span_texts',
  pairKeysFeedback: 'pair_keys_feedback',
  pairKeysSession: 'pair_keys_session',
  pairKeysRubric: 'pair_keys_rubric',
  pairKeysJudge: 'pair_keys_judge',
  pairKeysCluster: 'pair_keys_cluster',
  preferencePairKeys: 'preference_pair_keys',
  pairsAll: 'pairs_all',
  pairContradictions: 'pair_contradictions',
} as const;

/** Keys of `pair_settings`. */
export const PAIR_SETTING_KEYS = {
  /** Annotation name that carries thumbs (default `user_feedback`). */
  feedbackName: 'feedback_name',
  /** Span attribute whose value says whether a session resolved (default `session.outcome`). */
  sessionOutcomeAttribute: 'session_outcome_attribute',
} as const;
