// The benchmark phases that need no server: protobuf decode alone, and the raw chDB insert limit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtobuf } from '../src/receive/decodeProtobuf.js';
import { normalizeSpan } from '../src/normalize/normalizeSpan.js';
import { traceRow } from '../src/sink/rows.js';
import { ChdbStore } from '../src/sink/ChdbStore.js';
import { toJsonEachRow } from '../src/sink/Store.js';
import { migrate } from '../src/sink/migrate.js';
import { TABLES } from '../src/names.js';

export interface DecodeResult {
  spans: number;
  bytes: number;
  seconds: number;
  spansPerSecond: number;
  mbPerSecond: number;
}

/** Decodes every body `rounds` times after a warm-up; single-threaded, so spans/s is per core. */
export function decodePhase(bodies: readonly Uint8Array[], rounds = 3): DecodeResult {
  for (const b of bodies.slice(0, 5)) decodeProtobuf(b);
  let spans = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (const b of bodies) {
      spans += decodeProtobuf(b).spans.length;
      bytes += b.length;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    spans,
    bytes,
    seconds,
    spansPerSecond: spans / seconds,
    mbPerSecond: bytes / 1024 / 1024 / seconds,
  };
}

export interface RawInsertResult {
  rows: number;
  batchRows: number;
  seconds: number;
  cpuSeconds: number;
  spansPerSecond: number;
  spansPerCpuSecond: number;
  maxRssBytes: number;
}

/**
 * The engine's limit: the rows end-to-end would write (decoded, normalised, mapped — all done before
 * the clock starts) inserted straight into embedded chDB in large batches, then counted.
 */
export async function rawInsertPhase(
  bodies: readonly Uint8Array[],
  batchRows = 20_000,
): Promise<RawInsertResult> {
  // Built batch by batch so only the encoded bytes stay in memory, not the row objects.
  const chunks: Buffer[] = [];
  let pending: object[] = [];
  let total = 0;
  for (const body of bodies) {
    for (const span of decodeProtobuf(body).spans) pending.push(traceRow(normalizeSpan(span)));
    if (pending.length >= batchRows) {
      chunks.push(toJsonEachRow(pending));
      total += pending.length;
      pending = [];
    }
  }
  if (pending.length > 0) chunks.push(toJsonEachRow(pending));
  total += pending.length;
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-bench-raw-'));
  const store = new ChdbStore(dir, 'prefloop');
  try {
    await migrate(store);
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (const chunk of chunks) await store.insert(TABLES.traces, chunk);
    const [{ n }] = (await store.query<{ n: string }>(`SELECT count() AS n FROM ${TABLES.traces}`)) as [
      { n: string },
    ];
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const counted = Number(n);
    if (counted !== total) throw new Error(`raw insert: counted ${counted} rows, inserted ${total}`);
    return {
      rows: counted,
      batchRows,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      spansPerSecond: counted / seconds,
      spansPerCpuSecond: counted / ((cpu.user + cpu.system) / 1e6),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
