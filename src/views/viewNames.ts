// Names of the tables and helper views the pair views add (the public ones are in src/names.ts).
// TODO(lead): move these into src/names.ts (TABLES / VIEWS) and import them from there.

export const PAIR_TABLES = {
  rubricPairConfig: 'rubric_pair_config',
  pairSettings: 'pair_settings',
} as const;

export const PAIR_VIEWS = {
  rubricConfigCurrent: 'rubric_config_current',
  spanThumbs: 'span_thumbs',
  spanPreferences: 'span_preferences',
  sessionOutcomes: 'session_outcomes',
  spanRubricScores: 'span_rubric_scores',
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
