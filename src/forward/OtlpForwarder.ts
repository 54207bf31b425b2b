// Sends enriched spans on to another OTLP/HTTP endpoint; its failures are counted, never thrown.
import { METRICS } from '../names.js';
import { context } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { DecodedSpan } from '../records/types.js';
import { diag } from '../observe/diag.js';
import type { Metrics } from '../observe/Metrics.js';
import { toReadableSpan } from './toReadableSpan.js';

const COMPONENT = 'forwarder';
const SPANS = METRICS.forwarder.spans;

export interface OtlpForwarderOptions {
  /** Full OTLP/HTTP traces URL, e.g. `http://collector:4318/v1/traces`. Required. */
  url: string;
  /** Extra request headers (e.g. authorization). Default: none. */
  headers?: Record<string, string>;
  /** Gzip request bodies. Default false. */
  gzip?: boolean;
  /** Per-export timeout. Default 10 000 ms. */
  timeoutMillis?: number;
  /** Most spans in exports not yet answered; past it new spans are dropped (counted). Default 20 000. */
  maxPendingSpans?: number;
  /** Use this exporter instead of building one from url/headers (for tests and other transports). */
  exporter?: SpanExporter;
}

/**
 * Forwards spans (OTLP/HTTP JSON through `@opentelemetry/exporter-trace-otlp-http`). `forward()`
 * returns at once; every span ends up counted as sent, failed or dropped in
 * `prefloop_forwarder_spans_total{result}`, and failures are reported through diag().
 */
export class OtlpForwarder {
  private readonly exporter: SpanExporter;
  private readonly maxPending: number;
  private readonly inFlight = new Set<Promise<void>>();
  private pendingSpans = 0;
  private failureStreak = 0;
  private shuttingDown: Promise<void> | undefined;

  constructor(
    options: OtlpForwarderOptions,
    private readonly metrics: Metrics,
  ) {
    this.exporter =
      options.exporter ??
      new OTLPTraceExporter({
        url: options.url,
        headers: options.headers ?? {},
        timeoutMillis: options.timeoutMillis ?? 10_000,
        ...(options.gzip ? { compression: 'gzip' as CompressionAlgorithm } : {}),
      });
    this.maxPending = options.maxPendingSpans ?? 20_000;
    metrics.counter(SPANS, 'Spans forwarded to the next OTLP endpoint, by result (sent, failed, dropped).');
  }

  /** Queues spans for export; never throws and never blocks on the network. */
  forward(spans: readonly DecodedSpan[]): void {
    if (spans.length === 0) return;
    if (this.shuttingDown || this.pendingSpans + spans.length > this.maxPending) {
      this.metrics.inc(SPANS, spans.length, { result: 'dropped' });
      diag(
        'warn',
        COMPONENT,
        this.shuttingDown
          ? `dropped ${spans.length} span(s): forwarder is shut down`
          : `dropped ${spans.length} span(s): ${this.pendingSpans} already waiting for the next endpoint (maxPendingSpans ${this.maxPending})`,
      );
      return;
    }
    let readable;
    try {
      readable = spans.map(toReadableSpan);
    } catch (err) {
      this.metrics.inc(SPANS, spans.length, { result: 'failed' });
      diag('error', COMPONENT, `could not convert ${spans.length} span(s) for forwarding`, err);
      return;
    }
    const count = spans.length;
    this.pendingSpans += count;
    const done = new Promise<void>((resolve) => {
      // The exporter's own HTTP request must never be traced back into the pipeline.
      context.with(suppressTracing(context.active()), () => {
        this.exporter.export(readable, (result) => {
          this.pendingSpans -= count;
          if (result.code === ExportResultCode.SUCCESS) {
            this.metrics.inc(SPANS, count, { result: 'sent' });
            if (this.failureStreak > 0)
              diag('info', COMPONENT, `forwarding recovered after ${this.failureStreak} failed export(s)`);
            this.failureStreak = 0;
          } else {
            this.metrics.inc(SPANS, count, { result: 'failed' });
            // First failure of a streak and then every 100th, so an outage does not flood the log.
            if (this.failureStreak++ % 100 === 0)
              diag('error', COMPONENT, `could not forward ${count} span(s); they are dropped`, result.error);
          }
          resolve();
        });
      });
    });
    this.inFlight.add(done);
    void done.then(() => this.inFlight.delete(done));
  }

  /** Resolves when every export started so far has been answered. */
  async forceFlush(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** Flushes, then shuts the exporter down. Runs once. */
  shutdown(): Promise<void> {
    this.shuttingDown ??= (async () => {
      await this.forceFlush();
      try {
        await this.exporter.shutdown();
      } catch (err) {
        diag('warn', COMPONENT, 'exporter shutdown failed', err);
      }
    })();
    return this.shuttingDown;
  }
}
