// Spool record framing (pure): [u32 length][checksum][payload], so a torn or corrupt tail is detected.
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { bodyLength, bodyParts } from './body.js';
import type { Batch } from './Batch.js';
import { INSERT_FORMATS, isColumnName } from './Store.js';

const HEADER_BYTES = 12;
/** A length past this is corruption, not a record (batches are far smaller). */
const MAX_RECORD_BYTES = 512 * 1024 * 1024;
/**
 * Set in the length word of records checked by CRC-32 (bytes 4-7; 8-11 are zero). Records without it
 * carry the first 8 bytes of the payload's sha256 (written by earlier versions, and on Node < 20.15) and
 * replay all the same. CRC-32 is what write-ahead logs use to catch torn and corrupt writes; sha256 cost
 * ~4% of the main thread's CPU under sustained overload, where a third or more of all rows pass through
 * the spool.
 */
const CRC32_FLAG = 0x80000000;

/**
 * Frames one record as the buffers to append, in order: header, JSON head line, the body's buffers (not copied).
 * Checked by CRC-32 where Node has zlib's (≥ 20.15); older Node writes the earlier sha256 framing, which
 * it hashes natively ~5x faster than the portable CRC-32 runs.
 */
export function encodeRecordParts(
  r: Batch,
  check: 'crc32' | 'sha256' = nativeCrc32 ? 'crc32' : 'sha256',
): Buffer[] {
  const head = Buffer.from(
    JSON.stringify({ table: r.table, token: r.token, rows: r.rows, format: r.format, columns: r.columns }) +
      '\n',
  );
  const parts = bodyParts(r.body);
  const length = head.length + bodyLength(r.body);
  if (length > MAX_RECORD_BYTES)
    throw new Error(`a spool record of ${length} bytes is over ${MAX_RECORD_BYTES}`);
  const header = Buffer.alloc(HEADER_BYTES);
  if (check === 'crc32') {
    let crc = crc32(head, 0);
    for (const part of parts) crc = crc32(part, crc);
    header.writeUInt32BE((length | CRC32_FLAG) >>> 0, 0);
    header.writeUInt32BE(crc, 4);
  } else {
    header.writeUInt32BE(length, 0);
    const hash = createHash('sha256').update(head);
    for (const part of parts) hash.update(part);
    hash.digest().copy(header, 4, 0, 8);
  }
  return [header, head, ...parts];
}

export interface DecodedSegment {
  records: Batch[];
  /** Bytes at the end that did not form a valid record (torn write or corruption); 0 when clean. */
  corruptBytes: number;
}

/**
 * Decodes a segment's records in order. Stops at the first record that is short, oversized or fails its
 * checksum: nothing after it can be framed reliably, so it is reported as corrupt instead of replayed.
 */
export function decodeSegment(data: Buffer): DecodedSegment {
  const records: Batch[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (data.length - offset < HEADER_BYTES) break;
    const word = data.readUInt32BE(offset);
    const length = (word & ~CRC32_FLAG) >>> 0;
    const start = offset + HEADER_BYTES;
    if (length > MAX_RECORD_BYTES || start + length > data.length) break;
    const payload = data.subarray(start, start + length);
    if (!checksumMatches(payload, data.subarray(offset + 4, start), (word & CRC32_FLAG) !== 0)) break;
    const record = parsePayload(payload);
    if (!record) break;
    records.push(record);
    offset = start + length;
  }
  return { records, corruptBytes: data.length - offset };
}

function parsePayload(payload: Buffer): Batch | undefined {
  const newline = payload.indexOf(0x0a);
  if (newline < 0) return undefined;
  try {
    const head = JSON.parse(payload.subarray(0, newline).toString('utf8')) as Partial<Batch>;
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

function checksumMatches(payload: Buffer, stored: Buffer, isCrc32: boolean): boolean {
  if (isCrc32) return stored.readUInt32BE(0) === crc32(payload, 0) && stored.readUInt32BE(4) === 0;
  return createHash('sha256').update(payload).digest().subarray(0, 8).equals(stored);
}

/** zlib's native CRC-32 (Node ≥ 20.15); a table-driven one on older Node, same values. */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

export function crc32(data: Uint8Array, value: number): number {
  return nativeCrc32 ? nativeCrc32(data, value) : crc32Portable(data, value);
}

let table: Uint32Array | undefined;

export function crc32Portable(data: Uint8Array, value: number): number {
  table ??= crcTable();
  let crc = ~value >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

function crcTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}
