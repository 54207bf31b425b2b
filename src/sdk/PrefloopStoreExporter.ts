// An OTel SpanExporter that writes an application's spans and their rubric results straight into prefloop's store.
import { context } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { attributeToString } from '../records/attributeToString.js';
import { extractFeedback } from '../normalize/extractFeedback.js';
import { normalizeSpan, type NormalizeOptions } from '../normalize/normalizeSpan.js';
import type { DecodedSpan, EvaluationRecord } from '../records/types.js';
import type { Metrics } from '../observe/Metrics.js';
import { diag } from '../observe/diag.js';
import type { SinkRecords } from '../sink/Batch.js';
import { buildTableBatches, insertBatch } from '../sink/batches.js';
import { TraceLineWriter } from '../sink/traceLine.js';
import { migrate } from '../sink/migrate.js';
import { openStore } from '../sink/openStore.js';
import type { Store } from '../sink/Store.js';
import { METRICS } from '../names.js';
import { annotationKey, OI } from '../conventions.js';
import {
  addEvaluationAttributes,
  evaluationIndexOf,
  hasRubricFileHash,
} from '../records/evaluationAttributes.js';
import { toDecodedSpan } from './RubricSpanProcessor.js';
import type { Scorer } from '../score/Scorer.js';
import { spanScoresOf, type SpanScores } from '../score/spanScores.js';

export interface PrefloopStoreExporterOptions {
  /**
   * Where to write: a store URL (`embedded:<folder>`, `http(s)://user:pass@host:8123/db`), opened on first
   * export and closed by shutdown(); or an open Store, which stays the caller's to close.
   * Default: `PREFLOOP_STORE`, else `embedded:.prefloop`.
   */
  store?: string | Store;
  /** Run prefloop's migrations before the first write. Default true. */
  migrate?: boolean;
  /**
   * Scores spans that no RubricSpanProcessor scored (e.g. this exporter used on its own), exactly as
   * `prefloop serve` would. Default: none (such spans are stored unscored).
   */
  scorer?: Scorer;
  /** How spans are read (prompt class attribute); use the same as the processor's. */
  normalize?: NormalizeOptions;
  /** Counters land here: exported spans and failed exports. */
  metrics?: Metrics;
}

const COMPONENT = 'sdk/PrefloopStoreExporter';
const M = METRICS.storeExporter;

/**
 * Each export() becomes one insert per table (otel_traces, feedback, evaluations), each with a dedup token
 * over its exact bytes, so a retried batch is stored once. The rows are the ones `prefloop serve` writes for
 * the same span: the trace row from the span as it ended (with the processor's evaluation attributes, which
 * ClickHouse copies into `evaluations`; results the SDK dropped go in as evaluation rows), and upstream
 * annotations found on the span as feedback or evaluation rows. The SDK's BatchSpanProcessor does the
 * batching; this exporter keeps no queue.
 */
export class PrefloopStoreExporter implements SpanExporter {
  /** Writes span rows, remembering what recurs across this exporter's batches. */
  private readonly lines = new TraceLineWriter();
  private store: Promise<Store> | undefined;
  private ready: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private shutdownOnce: Promise<void> | undefined;

  constructor(private readonly options: PrefloopStoreExporterOptions = {}) {
    const m = options.metrics;
    m?.counter(M.spans, 'Spans the store exporter wrote.');
    m?.counter(M.failed, 'Spans the store exporter could not write (export answered FAILED).');
  }

  /** Writes the spans; calls `resultCallback` exactly once, with FAILED (and the error) when any insert failed. */
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.shutdownOnce) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: new Error(`${COMPONENT}: export after shutdown; ${spans.length} span(s) not written`),
      });
      return;
    }
    // The exporter's own store I/O (an HTTP ClickHouse client, say) must not produce spans of its own.
    const work = context.with(suppressTracing(context.active()), () => this.write(spans));
    const done = work.then(
      () => {
        this.options.metrics?.inc(M.spans, spans.length);
        resultCallback({ code: ExportResultCode.SUCCESS });
      },
      (err: unknown) => {
        this.options.metrics?.inc(M.failed, spans.length);
        const error = err instanceof Error ? err : new Error(String(err));
        diag('error', COMPONENT, `writing ${spans.length} span(s) failed`, error);
        resultCallback({ code: ExportResultCode.FAILED, error });
      },
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  /** Resolves once every export() called before it has been written (or has failed). */
  async forceFlush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Runs once: waits for exports in flight, then closes the store if this exporter opened it. */
  shutdown(): Promise<void> {
    this.shutdownOnce ??= this.forceFlush().then(async () => {
      if (this.store && typeof this.options.store !== 'object') {
        const store = await this.store.catch(() => undefined);
        await store?.close();
      }
    });
    return this.shutdownOnce;
  }

  /**
   * The rows `prefloop serve` would write for these spans. Rubric results (the processor's, or scored here)
   * sit on the span's attributes; ClickHouse copies them into `evaluations` (migration 0005).
   */
  private rowsOf(spans: readonly ReadableSpan[]): SinkRecords {
    const out: SinkRecords = { spans: [], feedback: [], evaluations: [] };
    const scorer = this.options.scorer;
    for (const span of spans) {
      const decoded = toDecodedSpan(span);
      const scored = spanScoresOf(span);
      // Upstream annotations are read before scoring, as serve does; the processor's own results (whole or cut
      // short by the SDK's limits) are not upstream ones.
      out.feedback.push(...extractFeedback(scored ? withoutOwnEvaluations(decoded, scored.start) : decoded));
      const record = normalizeSpan(decoded, this.options.normalize);
      if (scored) out.evaluations.push(...droppedBySdk(decoded, scored));
      else if (scorer) addEvaluationAttributes(record, scorer.scoreSync(record), scorer.set.hash);
      out.spans.push(record);
    }
    return out;
  }

  private async write(spans: readonly ReadableSpan[]): Promise<void> {
    const batches = buildTableBatches([this.rowsOf(spans)], this.lines);
    const store = await this.open();
    for (const b of batches) await insertBatch(store, b);
  }

  /** Opens the store and migrates it once; a failure is retried by the next export. */
  private async open(): Promise<Store> {
    const target = this.options.store ?? process.env.PREFLOOP_STORE ?? 'embedded:.prefloop';
    this.store ??= typeof target === 'string' ? openStore(target) : Promise.resolve(target);
    let store: Store;
    try {
      store = await this.store;
    } catch (err) {
      this.store = undefined;
      throw new Error(`${COMPONENT}: cannot open store ${String(target)}; check the store URL`, {
        cause: err,
      });
    }
    if (this.options.migrate !== false) {
      this.ready ??= migrate(store).then(() => undefined);
      try {
        await this.ready;
      } catch (err) {
        this.ready = undefined;
        throw new Error(`${COMPONENT}: migrating ${store.location} failed`, { cause: err });
      }
    }
    return store;
  }
}

/**
 * The processor's results the SDK did not keep on the span: past its attribute count limit (128 by default)
 * it drops new attributes, so long conversations can lose evaluation attributes. Those results are written
 * as rows, so `evaluations` stays complete. A result counts as kept when its `.metadata` (set last) is there
 * and still names the rubric file hash (a value length limit may cut it): what ClickHouse copies results by.
 */
function droppedBySdk(span: DecodedSpan, scored: SpanScores): EvaluationRecord[] {
  return scored.results.filter((_r, k) => {
    const metadata = span.attributes[annotationKey(OI.evaluations, scored.start + k, 'metadata')];
    return metadata === undefined || !hasRubricFileHash(attributeToString(metadata));
  });
}

/** The span without the `evaluations.{i}.*` attributes from index `start` on. */
function withoutOwnEvaluations(span: DecodedSpan, start: number): DecodedSpan {
  const attributes: DecodedSpan['attributes'] = {};
  for (const [key, value] of Object.entries(span.attributes)) {
    const i = evaluationIndexOf(key);
    if (i === undefined || i < start) attributes[key] = value;
  }
  return { ...span, attributes };
}
