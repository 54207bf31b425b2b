// Public API of the export stage.
export { exportPairs } from './exportPairs.js';
export type { ExportManifest, ExportOptions, ExportProgress, ExportResult } from './exportPairs.js';
export { AGREEMENT_BANDS } from './exportFilters.js';
export type { AgreementBand, ExportFilters } from './exportFilters.js';
export { EXPORT_FORMATS, formatKto, formatPair, isKtoFormat } from './formats.js';
export type { ExportFormat, KtoFormat, KtoRow, PairRow } from './formats.js';
export { measureAgreement, refreshRubricAgreement, scheduleRubricAgreement } from './rubricAgreement.js';
export type { AgreementCounts, AgreementStatus, RubricAgreement } from './rubricAgreement.js';
export { prepareOutDir } from './outDir.js';
export type { OutDir } from './outDir.js';
export { holdoutBucket, isHoldout } from './holdoutSplit.js';
export { formatPairsSummary, pairsSummary } from './pairsSummary.js';
export type { PairsSummary, SourceSummary } from './pairsSummary.js';
export { renderPrompt, renderTranscript } from './transcript.js';
