// Spool record framing (pure): [u32 length][8-byte sha256 prefix][payload], so a torn or corrupt tail is detected.
import { createHash } from 'node:crypto';
import type { InsertFormat } from './Store.js';
import { INSERT_FORMATS, isColumnName } from './Store.js';

/** One spooled batch: the table, its dedup token, and its body with the format and columns to read it by. */
export interface SpoolRecord {
  table: string;
  token: string;
  rows: number;
  /** JSONEachRow when absent (spools written before batches carried a format). */
  format?: InsertFormat;
  columns?: readonly string[];
  body: Buffer;
}

const HEADER_BYTES = 12;
/** A length past this is corruption, not a record (batches are far smaller). */
const MAX_RECORD_BYTES = 512 * 1024 * 1024;

/** Frames one record for appending to a segment file. */
export function encodeRecord(r: SpoolRecord): Buffer {
  const head = Buffer.from(
    JSON.stringify({ table: r.table, token: r.token, rows: r.rows, format: r.format, columns: r.columns }) +
      '\n',
  );
  const payload = Buffer.concat([head, r.body]);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(payload.length, 0);
  checksum(payload).copy(header, 4);
  return Buffer.concat([header, payload]);
}

export interface DecodedSegment {
  records: SpoolRecord[];
  /** Bytes at the end that did not form a valid record (torn write or corruption); 0 when clean. */
  corruptBytes: number;
}

/**
 * Decodes a segment's records in order. Stops at the first record that is short, oversized or fails its
 * checksum: nothing after it can be framed reliably, so it is reported as corrupt instead of replayed.
 */
export function decodeSegment(data: Buffer): DecodedSegment {
  const records: SpoolRecord[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (data.length - offset < HEADER_BYTES) break;
    const length = data.readUInt32BE(offset);
    const start = offset + HEADER_BYTES;
    if (length > MAX_RECORD_BYTES || start + length > data.length) break;
    const payload = data.subarray(start, start + length);
    if (!checksum(payload).equals(data.subarray(offset + 4, start))) break;
    const record = parsePayload(payload);
    if (!record) break;
    records.push(record);
    offset = start + length;
  }
  return { records, corruptBytes: data.length - offset };
}

function parsePayload(payload: Buffer): SpoolRecord | undefined {
  const newline = payload.indexOf(0x0a);
  if (newline < 0) return undefined;
  try {
    const head = JSON.parse(payload.subarray(0, newline).toString('utf8')) as Partial<SpoolRecord>;
    if (typeof head.table !== 'string' || typeof head.token !== 'string' || typeof head.rows !== 'number')
      return undefined;
    const format = head.format;
    if (format !== undefined && !INSERT_FORMATS.includes(format)) return undefined;
    const columns: unknown = head.columns;
    if (
      columns !== undefined &&
      !(Array.isArray(columns) && columns.every((c) => typeof c === 'string' && isColumnName(c)))
    )
      return undefined;
    return {
      table: head.table,
      token: head.token,
      rows: head.rows,
      ...(format ? { format } : {}),
      ...(columns ? { columns: columns as string[] } : {}),
      body: payload.subarray(newline + 1),
    };
  } catch {
    return undefined;
  }
}

function checksum(payload: Buffer): Buffer {
  return createHash('sha256').update(payload).digest().subarray(0, 8);
}
