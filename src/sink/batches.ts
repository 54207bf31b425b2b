// Turns queued records into one JSONCompactEachRow batch per table, each with a deterministic dedup token (pure).
import { createHash } from 'node:crypto';
import { TABLES } from '../names.js';
import type { EvaluationRecord, FeedbackRecord, SpanRecord } from '../normalize/types.js';
import {
  EVALUATION_COLUMNS,
  evaluationRow,
  evaluationRowFromFeedback,
  FEEDBACK_COLUMNS,
  feedbackRow,
  isHumanFeedback,
  TRACE_COLUMNS,
  traceRow,
} from './rows.js';
import { toJsonCompactEachRow } from './Store.js';
import type { SpoolRecord } from './spoolCodec.js';
import type { Store } from './Store.js';

/** What the pipeline hands the sink for one accepted request. */
export interface SinkInput {
  spans: SpanRecord[];
  feedback: FeedbackRecord[];
  evaluations: EvaluationRecord[];
}

/** One insert: a table, its rows (JSONCompactEachRow over `columns`), and the token that makes a retry a no-op. */
export type TableBatch = SpoolRecord;

/**
 * One batch per table for the given inputs, in a fixed table order. The token hashes the table and the
 * exact bytes, so the same batch retried (from memory or from the spool after a crash) is stored once.
 */
export function buildTableBatches(inputs: readonly SinkInput[]): TableBatch[] {
  const traces: object[] = [];
  const feedback: object[] = [];
  const evaluations: object[] = [];
  for (const input of inputs) {
    for (const s of input.spans) traces.push(traceRow(s));
    for (const f of input.feedback) {
      if (isHumanFeedback(f)) feedback.push(feedbackRow(f));
      else evaluations.push(evaluationRowFromFeedback(f));
    }
    for (const e of input.evaluations) evaluations.push(evaluationRow(e));
  }
  const out: TableBatch[] = [];
  for (const [table, columns, rows] of [
    [TABLES.traces, TRACE_COLUMNS, traces],
    [TABLES.feedback, FEEDBACK_COLUMNS, feedback],
    [TABLES.evaluations, EVALUATION_COLUMNS, evaluations],
  ] as const) {
    if (rows.length === 0) continue;
    // Compact rows (values only) are about half the bytes of JSONEachRow for evaluations, and cheaper to
    // write and for the engine to parse; the row objects' key order is the columns' order.
    const body = toJsonCompactEachRow(rows);
    out.push({
      table,
      rows: rows.length,
      format: 'JSONCompactEachRow',
      columns,
      body,
      token: dedupToken(table, body, columns),
    });
  }
  return out;
}

/** Deterministic insert_deduplication_token of a batch. */
export function dedupToken(table: string, body: Buffer, columns: readonly string[] = []): string {
  const hash = createHash('sha256').update(table).update('\n');
  if (columns.length > 0) hash.update(columns.join(',')).update('\n');
  return 'prefloop-' + hash.update(body).digest('hex').slice(0, 40);
}

/** Inserts one batch the way the sink does: its format, columns and dedup token travel with it. */
export function insertBatch(store: Store, batch: TableBatch): Promise<void> {
  return store.insert(batch.table, batch.body, {
    dedupToken: batch.token,
    ...(batch.format ? { format: batch.format } : {}),
    ...(batch.columns ? { columns: batch.columns } : {}),
  });
}

/** Rows a SinkInput contributes to batches (for batch sizing). */
export function rowCount(input: SinkInput): number {
  return input.spans.length + input.feedback.length + input.evaluations.length;
}
