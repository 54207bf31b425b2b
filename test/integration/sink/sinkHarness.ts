// Shared pieces of the SpanSink integration tests: realistic requests, a store whose engine can be closed and
// reopened underneath the sink, and a bounded wait.
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { migrate } from '../../../src/sink/migrate.js';
import type { SinkRecords } from '../../../src/sink/Batch.js';
import type { SpanSinkOptions } from '../../../src/sink/SpanSink.js';
import type { InsertOptions, QueryParams, Rows, Store } from '../../../src/sink/Store.js';
import { StoreError } from '../../../src/sink/Store.js';
import { packagePath } from '../../../src/paths.js';
import { evaluationRecord, feedbackRecord, spanRecord } from '../../unit/sink/records.js';

/** Only the sink's own schema: the views are not needed to count rows, and keep tests fast. */
export const SINK_MIGRATIONS = { folders: [packagePath('src', 'sink', 'migrations')] };

/** Fast timings so outages and replays happen within a test's budget. */
export function fastOptions(spoolDir: string): SpanSinkOptions {
  return {
    spoolDir,
    batchSize: 40,
    flushIntervalMs: 20,
    insertTimeoutMs: 5000,
    maxAttempts: 3,
    backoffBaseMs: 5,
    backoffMaxMs: 20,
    replayIntervalMs: 30,
    closeGraceMs: 2000,
  };
}

/** Request `n`: 10 spans, 2 feedback records (HUMAN and LLM), 3 rubric results; all ids unique per n. */
export function request(n: number): SinkRecords {
  const spans = Array.from({ length: 10 }, (_, i) => spanRecord(n * 10 + i));
  const human = feedbackRecord(n * 2, 'HUMAN');
  const llm = feedbackRecord(n * 2 + 1, 'LLM');
  const evaluations = [0, 1, 2].map((i) => ({ ...evaluationRecord(n * 10 + i), rubricId: `r${i}` }));
  return { spans, feedback: [human, llm], evaluations };
}

/** Counts per table: rows stored and distinct ids (equal when nothing was stored twice). */
export async function counts(
  store: Store,
): Promise<{ spans: number; uniqueSpans: number; feedback: number; evaluations: number }> {
  const [row] = await store.query<Record<string, string>>(
    `SELECT (SELECT count() FROM otel_traces) AS spans, (SELECT uniqExact(SpanId) FROM otel_traces) AS uniqueSpans,
            (SELECT count() FROM feedback) AS feedback, (SELECT count() FROM evaluations) AS evaluations`,
  );
  return {
    spans: Number(row!.spans),
    uniqueSpans: Number(row!.uniqueSpans),
    feedback: Number(row!.feedback),
    evaluations: Number(row!.evaluations),
  };
}

export { until } from '../../helpers/until.js';

/**
 * The real embedded engine, closed and reopened underneath the sink: while down, every call fails the way
 * a closed ChdbStore fails (STORE_CLOSED); `up()` opens a fresh ChdbStore on the same folder.
 */
export class ReopeningChdbStore implements Store {
  readonly kind = 'embedded' as const;
  readonly location: string;
  private current: ChdbStore;

  constructor(
    private readonly folder: string,
    readonly database = 'prefloop',
  ) {
    this.location = `embedded:${folder}`;
    this.current = new ChdbStore(folder, database);
  }

  async down(): Promise<void> {
    await this.current.close();
  }

  async up(): Promise<void> {
    this.current = new ChdbStore(this.folder, this.database);
    await migrate(this.current, SINK_MIGRATIONS);
  }

  command(sql: string, params?: QueryParams): Promise<void> {
    return this.current.command(sql, params);
  }
  query<T>(sql: string, params?: QueryParams): Promise<T[]> {
    return this.current.query<T>(sql, params);
  }
  stream<T>(sql: string, params?: QueryParams): AsyncIterable<T> {
    return this.current.stream<T>(sql, params);
  }
  queryText(sql: string, format: string, params?: QueryParams): Promise<string> {
    return this.current.queryText(sql, format, params);
  }
  insert(table: string, rows: Rows, options?: InsertOptions): Promise<void> {
    return this.current.insert(table, rows, options);
  }
  ping(): Promise<boolean> {
    return this.current.ping();
  }
  close(): Promise<void> {
    return this.current.close();
  }
}

/** A store that never answers inserts: the sink of a process that is about to crash. */
export function unreachableStore(): Store {
  const fail = (): Promise<never> =>
    Promise.reject(new StoreError('store unreachable (test)', 'STORE_UNREACHABLE'));
  return {
    kind: 'embedded',
    database: 'prefloop',
    location: 'unreachable',
    command: fail,
    query: fail,
    stream: async function* () {
      await fail();
    },
    queryText: fail,
    insert: fail,
    ping: () => Promise.resolve(false),
    close: () => Promise.resolve(),
  };
}
