// The benchmark phases that need no server: protobuf decode alone, and the raw chDB insert limits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultConfig } from '../src/config/loadConfig.js';
import { decodeProtobuf } from '../src/receive/decodeProtobuf.js';
import { normalizeSpan } from '../src/normalize/normalizeSpan.js';
import type { EvaluationRecord, SpanRecord } from '../src/records/types.js';
import { packageRoot } from '../src/paths.js';
import { loadRubricFile } from '../src/score/RubricFile.js';
import { Scorer } from '../src/score/Scorer.js';
import { addEvaluationAttributes } from '../src/records/evaluationAttributes.js';
import { batchLength, combineRequests, encodeRequest, insertBatch } from '../src/sink/batches.js';
import type { EncodedRequest } from '../src/sink/batches.js';
import type { Batch, SinkRecords } from '../src/sink/Batch.js';
import type { Store } from '../src/sink/Store.js';
import { ChdbStore } from '../src/sink/ChdbStore.js';
import { migrate } from '../src/sink/migrate.js';
import { TABLES } from '../src/names.js';
import {
  libuvPoolThreads,
  mainThreadCpuSince,
  mainThreadCpuSeconds,
  nodeThreadsCpuSeconds,
  nodeThreadsCpuSince,
} from './threadCpu.js';

export interface DecodeResult {
  spans: number;
  bytes: number;
  seconds: number;
  spansPerSecond: number;
  mbPerSecond: number;
}

/** Rows counted in a store now: span rows, and the `evaluations` rows ClickHouse derived from them. */
export async function storedRows(store: Store): Promise<{ spans: number; evaluations: number }> {
  const count = async (table: string): Promise<number> => {
    const [row] = await store.query<{ n: string }>(`SELECT count() AS n FROM ${table}`);
    return Number(row?.n ?? 0);
  };
  return { spans: await count(TABLES.traces), evaluations: await count(TABLES.evaluations) };
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
  /** True: the rows end to end writes with the default rubric file on (span rows carry the scores). */
  rubrics: boolean;
  rows: number;
  /** Rows written to `evaluations` (one per rubric result). */
  evaluations: number;
  /** Table inserts made, and the sink's batch bound (rows of every table together) they were cut by. */
  inserts: number;
  batchMaxRows: number;
  seconds: number;
  cpuSeconds: number;
  /** CPU of the JavaScript main thread alone (the insert hand-off; the engine excluded); null if unmeasured. */
  mainThreadCpuSeconds: number | null;
  /**
   * CPU of libuv's pool over the inserts: the engine's insert calls run there (null if unmeasured). End to end
   * writes the same rows, so this is the engine's share of its pool figure, the rest being prefloop's I/O.
   */
  libuvPoolCpuSeconds: number | null;
  spansPerSecond: number;
  spansPerCpuSecond: number;
  spansPerMainThreadCpuSecond: number | null;
  maxRssBytes: number;
}

/** The default pipeline's first rubric file, resolved as `serve` resolves it (from the package root). */
function defaultScorer(): Scorer {
  const [stage] = defaultConfig().rubrics;
  if (!stage) throw new Error('raw insert limit: the default config has no rubrics stage to score with');
  return new Scorer(loadRubricFile(resolve(packageRoot, stage.file)), { skipJudges: true });
}

/**
 * The batches the sink would insert for `bodies`, built the way the pipeline builds them: every request
 * decoded, normalised and (with `rubrics`) scored, its results added to the span, encoded as the sink
 * queues it (encodeRequest), then grouped by the sink's own rule (batchLength) and combined (combineRequests).
 */
export function sinkBatches(
  bodies: readonly Uint8Array[],
  rubrics: boolean,
  maxRows: number,
  maxBytes: number,
): { batches: Batch[]; spans: number; evaluations: number } {
  const scorer = rubrics ? defaultScorer() : undefined;
  const queue: EncodedRequest[] = [];
  let spans = 0;
  let evaluations = 0;
  for (const body of bodies) {
    const input: SinkRecords = { spans: [], feedback: [], evaluations: [] };
    for (const span of decodeProtobuf(body).spans) {
      const record: SpanRecord = normalizeSpan(span);
      if (scorer) {
        // Results travel on the span row, as in the pipeline; ClickHouse copies them into `evaluations`.
        const results: EvaluationRecord[] = scorer.scoreSync(record);
        addEvaluationAttributes(record, results, scorer.set.hash);
        evaluations += results.length;
      }
      input.spans.push(record);
    }
    spans += input.spans.length;
    // Encoded at once, as the sink does, so only bytes stay in memory, not the row objects.
    queue.push(encodeRequest(input));
  }
  const batches: Batch[] = [];
  for (let at = 0; at < queue.length;) {
    const n = batchLength(queue.slice(at), maxRows, maxBytes);
    batches.push(...combineRequests(queue.slice(at, at + n)));
    at += n;
  }
  return { batches, spans, evaluations };
}

/**
 * The engine's limit: exactly the batches end to end inserts (built by sinkBatches before the clock starts),
 * inserted one after another with insertBatch() — the sink's own call — into a fresh embedded chDB, then
 * counted. `rubrics` picks the row set: span rows alone, or span rows with scores (from which migration
 * 0005's materialized view writes one `evaluations` row per result).
 */
export async function rawInsertPhase(
  bodies: readonly Uint8Array[],
  rubrics: boolean,
  maxRows = defaultConfig().clickhouse.batch.max_rows,
  maxBytes = defaultConfig().clickhouse.batch.max_bytes,
): Promise<RawInsertResult> {
  const { batches, spans, evaluations } = sinkBatches(bodies, rubrics, maxRows, maxBytes);
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-bench-raw-'));
  const store = new ChdbStore(dir, 'prefloop');
  try {
    await migrate(store);
    const pool = await libuvPoolThreads();
    const main0 = mainThreadCpuSeconds();
    const others0 = pool && nodeThreadsCpuSeconds(pool);
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (const batch of batches) await insertBatch(store, batch);
    const stored = await storedRows(store);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const main = mainThreadCpuSince(main0);
    const others = pool && nodeThreadsCpuSince(others0, nodeThreadsCpuSeconds(pool));
    const counted = stored.spans;
    const countedEvals = stored.evaluations;
    if (counted !== spans || countedEvals !== evaluations)
      throw new Error(
        `raw insert (rubrics ${rubrics ? 'on' : 'off'}): counted ${counted} spans and ${countedEvals} ` +
          `evaluations, inserted ${spans} and ${evaluations}; the batches were not stored as built`,
      );
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return {
      rubrics,
      rows: counted,
      evaluations: countedEvals,
      inserts: batches.length,
      batchMaxRows: maxRows,
      seconds,
      cpuSeconds,
      mainThreadCpuSeconds: main ?? null,
      libuvPoolCpuSeconds: others?.libuvPool ?? null,
      spansPerSecond: counted / seconds,
      spansPerCpuSecond: counted / cpuSeconds,
      spansPerMainThreadCpuSecond: main === undefined || main === 0 ? null : counted / main,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}
