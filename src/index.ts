// prefloop's public API (`import { … } from 'prefloop'`): the in-process SDK pieces, the scorer and its
// rubric file, the store, the serve pipeline and the names prefloop writes. Everything else is internal.
import { DEFAULTS } from './names.js';
import { packagePath } from './paths.js';

// In-process SDK: score spans before they leave the app, write them to the store with no server.
export { RubricSpanProcessor } from './sdk/RubricSpanProcessor.js';
export type { RubricSpanProcessorOptions } from './sdk/RubricSpanProcessor.js';
export { PrefloopStoreExporter } from './sdk/PrefloopStoreExporter.js';
export type { PrefloopStoreExporterOptions } from './sdk/PrefloopStoreExporter.js';

// Rubrics and the scorer that applies them.
export { Scorer } from './score/Scorer.js';
/** LateEvaluation: the callback that receives a judge result which arrived after its span had left. */
export type { LateEvaluation, ScorerOptions } from './score/Scorer.js';
export { loadRubricFile, parseRubricFile, RubricFileError } from './score/RubricFile.js';
export type { Rubric, RubricSet, RubricTarget } from './score/RubricFile.js';

/**
 * The rubric file shipped in the package (`collector-config/rubrics.yaml`), as an absolute path: a starting
 * point for `loadRubricFile` when your project has no rubric file of its own.
 */
export const DEFAULT_RUBRIC_FILE: string = packagePath(DEFAULTS.rubricFile);

// The store: `embedded:<folder>` (chDB in this process) or a ClickHouse server URL.
export { openStore, parseStoreUrl } from './sink/openStore.js';
export { StoreError } from './sink/Store.js';
export type { QueryParams, Store, StoreTarget } from './sink/Store.js';
/** migrate: creates or upgrades prefloop's tables and views (serve and the exporter run it themselves). */
export { migrate } from './sink/migrate.js';
export type { MigrateOptions, MigrateResult } from './sink/migrate.js';

/** The config file (prefloop.yaml), validated; defaultConfig() is what `prefloop serve` runs without one. */
export { ConfigError, defaultConfig, loadConfigFile, parseConfig } from './config/loadConfig.js';
export type { PrefloopConfig } from './config/loadConfig.js';
/** startPrefloop: the whole `prefloop serve` pipeline (receiver, masking, rubrics, store) in your process. */
export { startPrefloop } from './serve/startPrefloop.js';
export type { RunningPrefloop, StartOptions } from './serve/startPrefloop.js';

// What prefloop reads from spans and writes to the store.
export type {
  AttrMap,
  AttrValue,
  ChatMessage,
  EvaluationRecord,
  FeedbackRecord,
  SpanRecord,
} from './records/types.js';
/** Names as constants: attribute keys (OpenInference `OI`, OTel `GENAI`, prefloop's), tables, views. */
export { PAIR_SOURCES, PAIR_VIEWS, PATHS, PREFLOOP_ATTRS, TABLES, VIEWS } from './names.js';
export { annotationKey, ANNOTATION_FIELDS, GENAI, OI } from './conventions.js';
export type { PairSource } from './names.js';
export type { AnnotationField, AnnotatorKind } from './conventions.js';
