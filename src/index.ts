// prefloop's public API (`import { … } from 'prefloop'`): the in-process SDK pieces, the scorer and its
// rubric file, the store, the serve pipeline and the names prefloop writes. Everything else is internal.
export { RubricSpanProcessor } from './sdk/RubricSpanProcessor.js';
export type { RubricSpanProcessorOptions } from './sdk/RubricSpanProcessor.js';
export { PrefloopStoreExporter } from './sdk/PrefloopStoreExporter.js';
export type { PrefloopStoreExporterOptions } from './sdk/PrefloopStoreExporter.js';
export { Scorer } from './score/Scorer.js';
export type { LateEvaluation, ScorerOptions } from './score/Scorer.js';
export { loadRubricFile, parseRubricFile, RubricFileError } from './score/RubricFile.js';
export type { Rubric, RubricSet, RubricTarget } from './score/RubricFile.js';
export { openStore, parseStoreUrl } from './sink/openStore.js';
export { StoreError } from './sink/Store.js';
export type { QueryParams, Store, StoreTarget } from './sink/Store.js';
export { migrate } from './sink/migrate.js';
export type { MigrateOptions, MigrateResult } from './sink/migrate.js';
export { ConfigError, defaultConfig, loadConfigFile, parseConfig } from './config/loadConfig.js';
export type { PrefloopConfig } from './config/loadConfig.js';
export { startPrefloop } from './serve/startPrefloop.js';
export type { RunningPrefloop, StartOptions } from './serve/startPrefloop.js';
export type {
  AttrMap,
  AttrValue,
  ChatMessage,
  EvaluationRecord,
  FeedbackRecord,
  SpanRecord,
} from './records/types.js';
export {
  annotationKey,
  ANNOTATION_FIELDS,
  GENAI,
  OI,
  PAIR_SOURCES,
  PAIR_VIEWS,
  PATHS,
  PREFLOOP_ATTRS,
  TABLES,
  VIEWS,
} from './names.js';
export type { AnnotationField, AnnotatorKind, PairSource } from './names.js';
