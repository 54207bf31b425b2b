// The one store interface: embedded chDB and a ClickHouse server behind the same SQL.
import { BufferList, type Body } from './body.js';
import { toJson, wellFormedJson } from './jsonString.js';
import { LineBuffer } from './LineBuffer.js';

/** Query parameters, bound server-side as `{name:Type}` placeholders (never pasted into SQL). */
export type QueryParams = Record<string, string | number | boolean | bigint | null | readonly string[]>;

/**
 * Text formats a bytes body can be in: JSONEachRow (one object per line) or JSONCompactEachRow (one array of
 * values per line, in `columns` order) — the compact one is cheaper to write and for the engine to parse.
 */
export const INSERT_FORMATS = ['JSONEachRow', 'JSONCompactEachRow'] as const;
export type InsertFormat = (typeof INSERT_FORMATS)[number];

export interface InsertOptions {
  /** Makes a retried batch a no-op: the engine drops an insert whose token it has seen. */
  dedupToken?: string;
  /** Format of a bytes body. Default JSONEachRow. */
  format?: InsertFormat;
  /** The columns the body fills, in its order (JSONCompactEachRow); default: all, in table order. */
  columns?: readonly string[];
}

export interface Store {
  /** 'embedded' (chDB in this process) or 'http' (a ClickHouse server). */
  readonly kind: 'embedded' | 'http';
  /** Database every prefloop table lives in. */
  readonly database: string;
  /** Human-readable location, for messages (never includes a password). */
  readonly location: string;
  /** Runs a statement that returns no rows (DDL, INSERT … SELECT, SET). */
  command(sql: string, params?: QueryParams): Promise<void>;
  /** Runs a query and returns its rows (JSONEachRow; 64-bit integers as strings). */
  query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]>;
  /** Streams a query's rows with constant memory. */
  stream<T = Record<string, unknown>>(sql: string, params?: QueryParams): AsyncIterable<T>;
  /** Runs a query and returns the engine's output in a named format (for `prefloop sql`). */
  queryText(sql: string, format: string, params?: QueryParams): Promise<string>;
  /**
   * Inserts rows into a table of `database`: objects, or bytes in `options.format` (a buffer, or buffers read
   * one after the other).
   */
  insert(table: string, rows: Rows, options?: InsertOptions): Promise<void>;
  /** True when the engine answers. */
  ping(): Promise<boolean>;
  /** Releases the engine (for embedded: the data folder). Runs once. */
  close(): Promise<void>;
}

/** A store failure, naming the operation and the engine's error code when there is one. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/**
 * Settings every insert carries, on every store. otel_traces is partitioned by day (the contrib layout), and
 * ClickHouse refuses an insert touching more than 100 partitions: a backfill, or a client sending spans from
 * many days at once, would fail the same batch forever (and, spooled, hold every later batch behind it).
 */
export const INSERT_SETTINGS = { max_partitions_per_insert_block: '0' } as const;

/** What Store.insert takes: row objects, or encoded bytes (Body). */
export type Rows = readonly object[] | Body;

/** What an insert sends: bytes as given in their declared format, or objects encoded as JSONEachRow. */
export function insertBody(rows: Rows, options: InsertOptions): { body: Body; format: InsertFormat } {
  return Buffer.isBuffer(rows) || rows instanceof BufferList
    ? { body: rows, format: options.format ?? 'JSONEachRow' }
    : { body: toJsonEachRow(rows), format: 'JSONEachRow' };
}

/** Encodes rows as JSONEachRow bytes; bigint values as decimal strings (exact for Int64/DateTime64). */
export function toJsonEachRow(rows: readonly object[]): Buffer {
  return toLines(rows.map((row) => stringify(row)));
}

/** Encodes rows as JSONCompactEachRow bytes: each row's values in its key order (the columns' order). */
export function toJsonCompactEachRow(rows: readonly object[]): Buffer {
  return toLines(rows.map(toCompactLine));
}

/** One JSONCompactEachRow line (no newline): the row's values in its key order. */
export function toCompactLine(row: object): string {
  return stringify(Object.values(row));
}

function stringify(value: object): string {
  try {
    // Rows built by src/sink/rows.ts carry 64-bit values as strings already; a replacer function would
    // cost a call per key, so it is only used for rows that turn out to hold a bigint.
    return toJson(value);
  } catch {
    return wellFormedJson(JSON.stringify(value, bigintReplacer));
  }
}

/** Lines, newline-terminated, as UTF-8 bytes in one buffer sized from the character count. */
function toLines(lines: readonly string[]): Buffer {
  let chars = 0;
  for (const line of lines) chars += line.length + 1;
  // Mostly ASCII text: a little slack covers multi-byte characters; the buffer grows when it does not.
  const out = new LineBuffer(
    lines.length,
    Math.ceil((chars + (chars >> 4)) / Math.max(1, lines.length)) + 16,
  );
  for (const line of lines) out.push(line);
  return out.finish();
}

/** A column list for INSERT: plain or nested (`Events.Name`) identifiers only, each quoted. */
export function columnList(columns: readonly string[]): string {
  return columns.map((c) => `\`${assertColumnName(c)}\``).join(', ');
}

/** Database names go into DDL, so only plain identifiers are accepted. */
export function assertIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new StoreError(
      `invalid database name ${JSON.stringify(name)}: use letters, digits and _`,
      'BAD_NAME',
    );
  }
  return name;
}

/** True for a plain identifier, or a dotted one naming a nested column (`Events.Name`). */
export function isColumnName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(name);
}

/** Column names go into INSERT statements, so only identifiers pass. */
export function assertColumnName(name: string): string {
  if (!isColumnName(name))
    throw new StoreError(
      `invalid column name ${JSON.stringify(name)}: use letters, digits, _ and .`,
      'BAD_NAME',
    );
  return name;
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Where a store URL points (see parseStoreUrl). */
export interface StoreTarget {
  kind: 'embedded' | 'http';
  /** Embedded: the data folder. */
  folder?: string;
  /** HTTP: the server URL without credentials or path. */
  url?: string;
  username?: string;
  password?: string;
  database: string;
  /** HTTP: a path prefix in front of the ClickHouse HTTP interface (e.g. serve's /v1/query); '' for a server. */
  pathname?: string;
}
