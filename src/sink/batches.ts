// Encodes each request's records into JSONCompactEachRow rows, and combines requests into one batch per table
// with its dedup token (pure but for freshToken's randomness).
import { createHash, randomUUID } from 'node:crypto';
import { TABLES } from '../names.js';
import type { SpanRecord } from '../records/types.js';
import {
  EVALUATION_COLUMNS,
  evaluationRow,
  evaluationRowFromFeedback,
  FEEDBACK_COLUMNS,
  feedbackRow,
  isHumanFeedback,
  TRACE_COLUMNS,
} from './rows.js';
import { bodyParts, BufferList, joinBody, type Body } from './body.js';
import { LineBuffer } from './LineBuffer.js';
import { ROW_SLAB } from './rowSlab.js';
import { toCompactLine } from './Store.js';
import { TraceLineWriter } from './traceLine.js';
import { diag, errorText, recordName, spanName } from '../observe/diag.js';
import type { Batch, SinkRecords } from './Batch.js';
import type { Store } from './Store.js';

/** One request's rows, already encoded per table in the fixed table order (empty tables left out). */
export interface EncodedRequest {
  /** Spans it carries (the queue bound counts spans). */
  spans: number;
  /** Rows over all tables (batch sizing counts rows). */
  rows: number;
  /** Encoded bytes over all tables: what the request costs the queue's memory from now on. */
  bytes: number;
  tables: EncodedTable[];
  /** Records whose row could not be written (a bug on odd content): each left out whole, with the error. */
  unencodable?: Unencodable[];
}

/** A record encodeRequest left out, and why. */
export interface Unencodable {
  /** The span, when the record was one (feedback and evaluation records have none). */
  span?: SpanRecord;
  /** The record, for messages: `span 00f1… "ChatCompletion"`, `feedback record "user_feedback" on span …`. */
  what: string;
  /** The table its row was for. */
  table: string;
  error: unknown;
}

interface EncodedTable {
  table: string;
  columns: readonly string[];
  rows: number;
  body: Buffer;
}

/**
 * Encodes one request's rows at once, so what waits in the queue is bytes (off the JS heap) rather than
 * the request's object graph: objects that die young are nearly free for the garbage collector, while
 * ones held for a flush interval are copied and promoted. Compact rows (values only) are about half the
 * bytes of JSONEachRow for evaluations, and cheaper to write and for the engine to parse; each row
 * object's key order is its columns' order.
 */
export function encodeRequest(input: SinkRecords, lines = new TraceLineWriter()): EncodedRequest {
  // Spans (with the rubric results on them) are the bulk: each is written straight into its line (traceLine).
  // Evaluation rows are rare: upstream CODE/LLM results and judge verdicts that missed their span.
  const traces = new LineBuffer(input.spans.length, 2048);
  let unencodable: Unencodable[] | undefined;
  let spansLeftOut = 0;
  for (const span of input.spans) {
    // One span whose content trips a bug must not cost the others of its request: its partial line is
    // dropped and it is handed back to the caller, which names it (the pipeline, in partial_success).
    try {
      lines.write(span, traces);
    } catch (error) {
      traces.abandonLine();
      (unencodable ??= []).push({ span, what: spanName(span.span), table: TABLES.traces, error });
      spansLeftOut += 1;
    }
  }
  const feedback = new LineBuffer(input.feedback.length, 512);
  const evaluations = new LineBuffer(input.feedback.length + input.evaluations.length, 512);
  // Likewise for each feedback and evaluation record: its line is made whole before it is pushed, so a
  // throw leaves nothing of it behind.
  for (const f of input.feedback) {
    const human = isHumanFeedback(f);
    try {
      if (human) feedback.push(toCompactLine(feedbackRow(f)));
      else evaluations.push(toCompactLine(evaluationRowFromFeedback(f)));
    } catch (error) {
      const table = human ? TABLES.feedback : TABLES.evaluations;
      (unencodable ??= []).push({ what: recordName('feedback record', f.name, f), table, error });
    }
  }
  for (const e of input.evaluations) {
    try {
      evaluations.push(toCompactLine(evaluationRow(e)));
    } catch (error) {
      const what = recordName('evaluation', e.rubricId, e);
      (unencodable ??= []).push({ what, table: TABLES.evaluations, error });
    }
  }
  const tables: EncodedTable[] = [];
  for (const [table, columns, lines] of [
    [TABLES.traces, TRACE_COLUMNS, traces],
    [TABLES.feedback, FEEDBACK_COLUMNS, feedback],
    [TABLES.evaluations, EVALUATION_COLUMNS, evaluations],
  ] as const) {
    // Queued until stored or spooled: the sink releases them to ROW_SLAB then.
    if (lines.lines > 0) tables.push({ table, columns, rows: lines.lines, body: lines.finish(ROW_SLAB) });
  }
  let rows = 0;
  let bytes = 0;
  for (const t of tables) {
    rows += t.rows;
    bytes += t.body.length;
  }
  const spans = input.spans.length - spansLeftOut;
  return unencodable ? { spans, rows, bytes, tables, unencodable } : { spans, rows, bytes, tables };
}

/** How a batch gets its insert_deduplication_token. */
export type TokenOf = (table: string, body: Body, columns: readonly string[]) => string;

/**
 * One batch per table for the given requests, in a fixed table order. By default the token hashes the
 * table, its columns and the exact bytes, so the same rows built into a batch again get the same token
 * (the SDK exporter rebuilds an export it retries); the sink passes `freshToken` (see there).
 */
export function combineRequests(inputs: readonly EncodedRequest[], tokenOf: TokenOf = dedupToken): Batch[] {
  const byTable = new Map<string, { columns: readonly string[]; rows: number; bodies: Buffer[] }>();
  for (const input of inputs) {
    for (const t of input.tables) {
      const entry = byTable.get(t.table) ?? { columns: t.columns, rows: 0, bodies: [] };
      entry.rows += t.rows;
      entry.bodies.push(t.body);
      byTable.set(t.table, entry);
    }
  }
  const out: Batch[] = [];
  for (const table of [TABLES.traces, TABLES.feedback, TABLES.evaluations]) {
    const entry = byTable.get(table);
    if (!entry) continue;
    // The requests' buffers as they are: joined only by a store that needs one buffer (see Body).
    const body = entry.bodies.length === 1 ? entry.bodies[0]! : new BufferList(entry.bodies);
    out.push({
      table,
      rows: entry.rows,
      format: 'JSONCompactEachRow',
      columns: entry.columns,
      body,
      token: tokenOf(table, body, entry.columns),
    });
  }
  return out;
}

/**
 * How many of the leading requests make the next batch: whole requests while they fit in `maxRows` rows and
 * `maxBytes` encoded bytes, and always at least one (a request is never split across inserts).
 */
export function batchLength(
  queue: readonly Pick<EncodedRequest, 'rows' | 'bytes'>[],
  maxRows: number,
  maxBytes: number,
): number {
  let rows = 0;
  let bytes = 0;
  let n = 0;
  for (const next of queue) {
    if (n > 0 && (rows + next.rows > maxRows || bytes + next.bytes > maxBytes)) break;
    rows += next.rows;
    bytes += next.bytes;
    n += 1;
  }
  return n;
}

/** Encodes and combines in one step (for writers without a queue, and tests). */
export function buildTableBatches(inputs: readonly SinkRecords[], lines = new TraceLineWriter()): Batch[] {
  return combineRequests(inputs.map((input) => encodeRequest(input, lines)));
}

/**
 * The two halves of a batch of two rows or more, split at a line (each body holds one row per line), each
 * with its own dedup token, derived from the batch's. Deterministic: splitting the same batch again gives
 * the same halves and tokens, so halves already stored are not stored twice when a batch is split anew
 * after a crash or a retry.
 */
export function splitBatch(batch: Batch): [Batch, Batch] {
  if (batch.rows < 2) throw new Error(`a batch of ${batch.rows} row cannot be split`);
  const half = Math.floor(batch.rows / 2);
  // Splits are rare (the store refused some rows), so joining here costs nothing on the hot path.
  const whole = joinBody(batch.body);
  let at = 0;
  for (let i = 0; i < half; i++) {
    const newline = whole.indexOf(0x0a, at);
    if (newline < 0) throw new Error(`batch for ${batch.table} has fewer lines than its ${batch.rows} rows`);
    at = newline + 1;
  }
  // A batch with a content token (spooled by a version before freshToken) splits as that version did, so
  // halves it stored before a crash or an upgrade are recognised.
  const byContent = CONTENT_TOKEN.test(batch.token);
  const part = (body: Buffer, rows: number, side: string): Batch => ({
    ...batch,
    rows,
    body,
    token: byContent ? dedupToken(batch.table, body, batch.columns ?? []) : `${batch.token}.${side}`,
  });
  return [part(whole.subarray(0, at), half, '0'), part(whole.subarray(at), batch.rows - half, '1')];
}

/**
 * A token of its own for a batch the sink forms once and keeps: every retry, from memory or from the spool
 * after a crash, reuses the token stored with it, which is all deduplication needs. Hashing the bytes instead
 * cost ~4 µs a span with the default rubrics (sha256 over ~6 KB), a few percent of the hot path.
 */
export function freshToken(): string {
  return 'prefloop-' + randomUUID().replaceAll('-', '');
}

/** What dedupToken makes (freshToken's are 32 hex digits, split halves hold dots). */
const CONTENT_TOKEN = /^prefloop-[0-9a-f]{40}$/;

/** Deterministic insert_deduplication_token of a batch. */
export function dedupToken(table: string, body: Body, columns: readonly string[] = []): string {
  const hash = createHash('sha256').update(table).update('\n');
  if (columns.length > 0) hash.update(columns.join(',')).update('\n');
  for (const part of bodyParts(body)) hash.update(part);
  return 'prefloop-' + hash.digest('hex').slice(0, 40);
}

/** Inserts one batch the way the sink does: its format, columns and dedup token travel with it. */
export function insertBatch(store: Store, batch: Batch): Promise<void> {
  return store.insert(batch.table, batch.body, {
    dedupToken: batch.token,
    ...(batch.format ? { format: batch.format } : {}),
    ...(batch.columns ? { columns: batch.columns } : {}),
  });
}

/**
 * encodeRequest, with each record it had to leave out logged (`fate`: what becomes of it) and handed to
 * `onUnencodable` (with its span, when it was one).
 */
export function encodeLogged(
  input: SinkRecords,
  lines: TraceLineWriter,
  fate: string,
  onUnencodable: (left: Unencodable, why: string) => void,
): EncodedRequest {
  const encoded = encodeRequest(input, lines);
  for (const left of encoded.unencodable ?? []) {
    const why = `${left.what} could not be encoded for the store (${errorText(left.error)})`;
    onUnencodable(left, why);
    diag('error', 'sink', `${why}; ${fate}`, left.error);
  }
  return encoded;
}
