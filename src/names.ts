// One place for every name prefloop gives the outside world: tables, views, paths, defaults, metrics, its own
// attributes. Never retype one of these strings elsewhere; import it from here. The names the outside world
// gives (OpenInference and GenAI attribute keys) are in conventions.ts.

/** Defaults users see (documented in README.md and docs/configuration.md). */
export const DEFAULTS = {
  /** OTLP/HTTP and feedback API listen address (the OTLP standard port, loopback only). */
  endpoint: '127.0.0.1:4318',
  /** ClickHouse database that holds every prefloop table and view. */
  database: 'prefloop',
  /** Embedded store folder, relative to the working folder. */
  embeddedFolder: '.prefloop',
  /** Store URL used when nothing else names one. */
  storeUrl: 'embedded:.prefloop',
  /** Config file looked for in the working folder. */
  configFile: 'prefloop.yaml',
  /** Rubric file used when the config names none. */
  rubricFile: 'collector-config/rubrics.yaml',
  /** Largest accepted request body, after decompression. */
  maxBodyBytes: 20 * 1024 * 1024,
  /** A request body not fully arrived by then is answered 408 (slow-loris guard). */
  bodyTimeoutMs: 30_000,
  /** A connection that has not started a request by then is closed. */
  idleConnectionMs: 10_000,
  /** Open connections the receiver holds at once; past it new ones are closed at once. */
  maxConnections: 1024,
  /** Rows, and bytes of encoded rows, per insert; the longest a row waits for its batch. */
  batchRows: 20_000,
  batchBytes: 32 * 1024 * 1024,
  flushIntervalMs: 1000,
  /** The queue in front of the store: past either bound the receiver answers 429. */
  queueSpans: 100_000,
  queueBytes: 256 * 1024 * 1024,
  /** One insert attempt is abandoned (and its batch spooled) after this long. */
  insertTimeoutMs: 10_000,
  /** Store failures: exponential backoff with full jitter between these, this many attempts a round. */
  retryInitialMs: 200,
  retryMaxMs: 10_000,
  retryAttempts: 5,
  /** On-disk spool size past which appends are refused. */
  spoolBytes: 1024 * 1024 * 1024,
  /** Annotation name that carries thumbs up/down. */
  feedbackName: 'user_feedback',
  /** Share of prompts held out of training. */
  holdoutFraction: 0.1,
  /** Rubric pairs feed export once the combined score's Wilson lower bound of human agreement is above this. */
  agreementFloor: 0.5,
  /** How often serve re-measures rubric agreement with people. */
  agreementRefreshMs: 5 * 60_000,
  /** Human review (docs/review.md): annotators per sampled pair. */
  reviewPerItem: 3,
  /** Review bands on a pair's chance-corrected annotator agreement: below discard, from train; review between. */
  reviewDiscardBelow: 0.5,
  reviewTrainFrom: 0.7,
  /** A source whose measured agreement with the human majority (Cohen's kappa) is under this feeds no unsampled pairs. */
  sourceAgreementFloor: 0.5,
  /** POST /v1/score: most items in one request (a 400 past it; the body limit applies as well). */
  scoreMaxItems: 10_000,
} as const;

/** Environment variables prefloop reads. */
export const ENV = {
  store: 'PREFLOOP_STORE',
  config: 'PREFLOOP_CONFIG',
  /** Conventional variable for bearer tokens (comma-separated); the config names the one to read. */
  authTokens: 'PREFLOOP_AUTH_TOKENS',
  /** Conventional variable for annotator tokens (`name:token,name:token`); config `review.annotator_tokens_env`. */
  annotatorTokens: 'PREFLOOP_ANNOTATOR_TOKENS',
} as const;

/** ClickHouse tables and views, unqualified; the database comes from the store URL. */
export const TABLES = {
  traces: 'otel_traces',
  feedback: 'feedback',
  evaluations: 'evaluations',
  judgeVerdicts: 'judge_verdicts',
  clusterMembers: 'cluster_members',
  clusterFixes: 'cluster_fixes',
  /** Embedding vectors by text hash and model, reused across cluster runs. */
  spanEmbeddings: 'span_embeddings',
  /** One row per failure cluster: name, exemplar, centroid, first and last seen. */
  clusters: 'clusters',
  /** Each cluster's size per `prefloop cluster` run. */
  clusterRuns: 'cluster_runs',
  /** Numbered migrations applied (tables, materialized views): version, file name, checksum. */
  migrations: 'prefloop_migrations',
  /** Plain views as last created: name and checksum of the statement (re-created when it changes). */
  viewChecksums: 'prefloop_views',
  /** Human review (migration 0240, docs/review.md): sampled pairs per annotator with their A/B order. */
  reviewAssignments: 'review_assignments',
  /** Every review label ever given (append-only); review_labels_current is the latest per pair and annotator. */
  reviewLabels: 'review_labels',
  /** A reviewer's decision on a review-band pair (latest per pair wins). */
  reviewResolutions: 'review_resolutions',
  /** Each measurement of a pair source's Cohen's kappa against the human majority. */
  sourceAgreement: 'source_agreement',
  /** Each calibration of a judge version against the human review labels (migration 0241, docs/agreement.md). */
  judgeCalibrations: 'judge_calibrations',
  /** Each drift check of a judge against people on spot-checked items; the latest per rubric stands. */
  judgeDrift: 'judge_drift',
  /** The web UI's snapshot of the pair views (migration 0290, src/ui/pairSnapshot.ts) and its record. */
  uiPairs: 'ui_pairs',
  uiContradictions: 'ui_contradictions',
  uiSnapshots: 'ui_snapshots',
  /** Every `prefloop gate` run with its verdict and whole JSON report (migration 0260, docs/gate.md). */
  gateRuns: 'gate_runs',
  /** The maintained pairs (migration 0295, src/views/README.md "Pairs at scale"): findings and merged pairs
   * per unit, and one row per maintenance pass with its watermark. */
  pairFindingsState: 'pair_findings_state',
  pairGroupsState: 'pair_groups_state',
  pairMaintenance: 'pair_maintenance',
} as const;

export const VIEWS = {
  llmSpans: 'llm_spans',
  feedbackResolved: 'feedback_resolved',
  pairsFeedback: 'pairs_feedback',
  pairsRubric: 'pairs_rubric',
  pairsSession: 'pairs_session',
  pairsJudge: 'pairs_judge',
  pairsCluster: 'pairs_cluster',
  preferencePairs: 'preference_pairs',
  ktoExamples: 'kto_examples',
  /** Each annotator's current label per pair (retracted ones dropped). */
  reviewLabelsCurrent: 'review_labels_current',
  /** Per labelled pair: label counts, annotator agreement, band, human direction, resolved. */
  pairReview: 'pair_review',
  /** The latest source_agreement row per source. */
  sourceAgreementCurrent: 'source_agreement_current',
} as const;

/** Tables and helper views the pair views add (inputs, keys, intermediate steps). */
export const PAIR_TABLES = {
  rubricPairConfig: 'rubric_pair_config',
  pairSettings: 'pair_settings',
  /** Narrow keys of every pair-candidate LLM span, filled by a materialized view on otel_traces. */
  llmSpanIndex: 'llm_span_index',
  llmSpanIndexMv: 'llm_span_index_mv',
  /** Each measurement of a rubric version's (or the combined score's) agreement with human pairs. */
  rubricAgreement: 'rubric_agreement',
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
  pairGroups: 'pair_groups',
  pairsAll: 'pairs_all',
  pairContradictions: 'pair_contradictions',
  rubricCombination: 'rubric_combination',
  rubricMatches: 'rubric_matches',
  rubricReviewPairs: 'rubric_review_pairs',
  rubricAgreementCounts: 'rubric_agreement_counts',
  rubricAgreementCurrent: 'rubric_agreement_current',
  /** Human feedback naming a span, trace or session that no stored span has (yet). */
  feedbackUnmatched: 'feedback_unmatched',
  ktoExampleKeys: 'kto_example_keys',
} as const;

/** RubricId under which the combined score (what Path A pairs on) is measured; never a valid rubric id. */
export const COMBINED_RUBRIC_ID = '(combined)';

/** Keys of `pair_settings`. */
export const PAIR_SETTING_KEYS = {
  /** Annotation name that carries thumbs (default `user_feedback`). */
  feedbackName: 'feedback_name',
  /** Span attribute whose value says whether a session resolved (default `session.outcome`). */
  sessionOutcomeAttribute: 'session_outcome_attribute',
  /** The rubric file's agreement_floor (default 0.5). */
  agreementFloor: 'rubric_agreement_floor',
  /** Review bands (config `review.bands`): below discard_below discard, from train_from train. */
  reviewDiscardBelow: 'review_discard_below',
  reviewTrainFrom: 'review_train_from',
} as const;

/**
 * Pair sources, as they appear in `preference_pairs.source`, in precedence order: when two disagree about
 * the same two answers, the earlier one's pair is kept (humans, then session outcomes, then a judge, then
 * rubrics; cluster fixes exist only where rubrics failed an answer). pair_groups.sql spells the same order.
 */
export const PAIR_SOURCES = ['feedback', 'session', 'judge', 'rubric', 'cluster'] as const;
export type PairSource = (typeof PAIR_SOURCES)[number];

/** HTTP paths served by `prefloop serve`. */
export const PATHS = {
  traces: '/v1/traces',
  feedback: '/v1/feedback',
  health: '/healthz',
  metrics: '/metrics',
  /** ClickHouse-HTTP-compatible query endpoint, so `sql`/`export` reach a store held by `serve`. */
  query: '/v1/query',
  /** The rubric file as a reward function: `{prompt, completion, context?}` items → rewards (docs/reward.md). */
  score: '/v1/score',
  /** Human review API (docs/review.md). */
  reviewQueue: '/v1/review/queue',
  reviewLabels: '/v1/review/labels',
  reviewUndo: '/v1/review/undo',
  reviewDisputes: '/v1/review/disputes',
  reviewResolutions: '/v1/review/resolutions',
  /** The web UI: the overview (`/` redirects here), the annotators' queue, the reviewers' page. */
  overview: '/overview',
  review: '/review',
  reviewer: '/reviewer',
  /** The UI's scripts and style sheet, and the server-rendered parts its pages load (HTML fragments). */
  uiAssets: '/ui/assets/',
  uiParts: '/ui/part/',
  /** The whole review queue's progress (labelled and assigned items, every annotator together) for /review. */
  uiReviewProgress: '/ui/review-progress',
  /** Failure clusters (src/cluster/clusterRoutes.ts): the list, a fix, a person's review of a fix. */
  clusters: '/v1/clusters',
  clusterFixes: '/v1/clusters/fixes',
  clusterFixReview: '/v1/clusters/fixes/review',
} as const;

/** prefloop's own attributes (on spans it writes and in evaluation metadata). */
export const PREFLOOP_ATTRS = {
  rubricFileHash: 'rubric_file_hash',
  /** Set on prefloop's own outgoing requests so they are never traced back into the pipeline. */
  internal: 'prefloop.internal',
} as const;

/**
 * Every metric prefloop reports on `/metrics`, by the component that reports it. The help texts stay with
 * each component's declaration; the names are here so a dashboard's author finds them all in one place.
 */
export const METRICS = {
  receiver: {
    requests: 'prefloop_receiver_requests_total',
    spansAccepted: 'prefloop_receiver_spans_accepted_total',
    spansRejected: 'prefloop_receiver_spans_rejected_total',
    feedbackAccepted: 'prefloop_receiver_feedback_accepted_total',
    badRequests: 'prefloop_receiver_bad_requests_total',
    refused: 'prefloop_receiver_refused_total',
    bytes: 'prefloop_receiver_bytes_total',
  },
  pipeline: {
    spans: 'prefloop_pipeline_spans_total',
    llmSpans: 'prefloop_pipeline_llm_spans_total',
    feedback: 'prefloop_pipeline_feedback_total',
    evaluations: 'prefloop_pipeline_evaluations_total',
    refused: 'prefloop_pipeline_refused_total',
    failed: 'prefloop_pipeline_failed_spans_total',
    failedFeedback: 'prefloop_pipeline_failed_feedback_total',
    judgePending: 'prefloop_pipeline_judge_pending',
    judgeRequests: 'prefloop_pipeline_judge_requests',
  },
  scorer: {
    evaluations: 'prefloop_rubric_evaluations_total',
    errors: 'prefloop_rubric_errors_total',
    judgeLate: 'prefloop_judge_late_total',
    judgeSkipped: 'prefloop_judge_sampled_out_total',
    judgeErrors: 'prefloop_judge_errors_total',
  },
  masking: {
    maskedValues: 'prefloop_masked_values_total',
  },
  sink: {
    queueSpans: 'prefloop_sink_queue_spans',
    queueBytes: 'prefloop_sink_queue_bytes',
    heldRows: 'prefloop_sink_held_rows',
    batchRows: 'prefloop_sink_batch_rows',
    spoolBytes: 'prefloop_sink_spool_bytes',
    enqueued: 'prefloop_sink_enqueued_spans_total',
    refused: 'prefloop_sink_refused_spans_total',
    sunk: 'prefloop_sink_rows_sunk_total',
    failures: 'prefloop_sink_insert_failures_total',
    retried: 'prefloop_sink_insert_retries_total',
    spooled: 'prefloop_sink_rows_spooled_total',
    replayed: 'prefloop_sink_rows_replayed_total',
    dropped: 'prefloop_sink_rows_dropped_total',
    rejected: 'prefloop_sink_rows_rejected_total',
    spoolCorrupt: 'prefloop_sink_spool_corrupt_bytes_total',
  },
  storeExporter: {
    spans: 'prefloop_store_exporter_spans_total',
    failed: 'prefloop_store_exporter_failed_spans_total',
  },
  forwarder: {
    spans: 'prefloop_forwarder_spans_total',
  },
  /** Judges against people while serving (src/labels/calibration/scheduleDrift.ts), per rubric. */
  judgeDrift: {
    agreement: 'prefloop_judge_human_agreement',
    alarm: 'prefloop_judge_drift_alarm',
  },
} as const;

/** The release gate (`prefloop gate`, src/gate/): its spans, its attributes, its table, its defaults. */
export const GATE = {
  /** service.name of every answer the gate stores. */
  serviceName: 'prefloop-gate',
  /** Span attribute: the gate run the answer belongs to. */
  runIdAttribute: 'prefloop.gate.run_id',
  /** Span attribute: `baseline` or `candidate`. */
  sideAttribute: 'prefloop.gate.side',
  /** Span attribute: the hold-out prompt's key (sha256 of its messages, 16 hex digits). */
  promptKeyAttribute: 'prefloop.gate.prompt_key',
  /** Every gate run, with its verdict and whole JSON report (src/views/migrations/0260_gate_runs.sql). */
  runsTable: TABLES.gateRuns,
  /** Answer cache folder, inside the embedded store folder (else under the working folder). */
  cacheFolder: 'gate-cache',
  /** Preference accuracy the candidate must reach to ship (0.5 is chance for both measures). */
  preferenceFloor: 0.5,
  /** Requests in flight per endpoint, per-request timeout, retries of 429/5xx/timeouts. */
  concurrency: 4,
  timeoutMs: 60_000,
  maxRetries: 3,
  maxTokens: 512,
  /** Bootstrap seed and resamples. */
  seed: 1,
  bootstrapIterations: 2000,
} as const;

/** The synthetic warm start (`prefloop synth`, src/reward/synth/): its spans, its judge, its defaults. */
export const SYNTH = {
  /** service.name of every synthetic answer stored: never production traffic. */
  serviceName: 'prefloop-synth',
  /** Span attribute set to true on every synthetic answer. */
  syntheticAttribute: 'prefloop.synthetic',
  /** judge_verdicts.RubricId of the synthetic pairwise judge (its version is a hash of criteria and model). */
  rubricId: 'synth_judge',
  /** Answers per prompt, model temperature, requests in flight per endpoint, per-request limits. */
  nPerPrompt: 2,
  temperature: 1,
  concurrency: 4,
  timeoutMs: 60_000,
  maxRetries: 3,
  maxTokens: 512,
  /** First wait before a retried model call (longer after each retry). */
  backoffMs: 500,
  /** What the judge compares when --criteria is not given. */
  criteria:
    'Which answer is more helpful, honest and harmless? Prefer the answer that addresses the request ' +
    'accurately and completely, declines clearly harmful requests, and does not make things up.',
} as const;
