// The names of what flows through the sink: a request's records in, and batches (one insert each) out.
import type { Body } from './body.js';
import type { InsertFormat } from './Store.js';
import type { EvaluationRecord, FeedbackRecord, SpanRecord } from '../records/types.js';

/**
 * What the pipeline hands the sink for one accepted request. Rubric results written onto a span travel with
 * it (its `evaluations.{i}.evaluation.*` attributes; ClickHouse copies them into `evaluations`), so
 * `evaluations` holds only results that missed their span: a judge that answered after the span was stored.
 */
export interface SinkRecords {
  spans: SpanRecord[];
  feedback: FeedbackRecord[];
  evaluations: EvaluationRecord[];
}

/**
 * One insert: a table, its rows (in `format` over `columns`), and the dedup token that makes a retry a no-op.
 * The same shape is what the spool keeps on disk, so a spooled batch replays exactly as it was tried.
 */
export interface Batch {
  table: string;
  token: string;
  rows: number;
  /** JSONEachRow when absent (spools written before batches carried a format). */
  format?: InsertFormat;
  columns?: readonly string[];
  /** The rows; decoded spool records hold one buffer (a view into the segment read). */
  body: Body;
}
