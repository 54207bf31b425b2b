// The sink's metrics: their names and help texts in one place, declared once per sink.
import { METRICS } from '../names.js';
import type { Metrics } from '../observe/Metrics.js';

/** Metric names the sink reports. */
export const SINK_METRICS = METRICS.sink;

/** What the sink's gauges read. */
export interface SinkGauges {
  queueSpans(): number;
  queueBytes(): number;
  heldRows(): number;
  batchRows(): number;
  spoolBytes(): number;
}

/** Declares every sink metric on `m`, the gauges reading `g`. */
export function declareSinkMetrics(m: Metrics, g: SinkGauges, rejectedFolder: string): void {
  m.gauge(
    SINK_METRICS.queueSpans,
    'Spans in memory: queued, in the insert in flight, and in batches held because the spool could not take them.',
    () => g.queueSpans(),
  );
  m.gauge(
    SINK_METRICS.queueBytes,
    'Bytes of rows in memory (as encoded for the store), counted as prefloop_sink_queue_spans counts spans.',
    () => g.queueBytes(),
  );
  m.gauge(
    SINK_METRICS.heldRows,
    'Rows (all tables) in batches neither the store nor the spool took, held in memory and retried.',
    () => g.heldRows(),
  );
  m.gauge(
    SINK_METRICS.batchRows,
    'Rows the next insert may take: sized to what the store absorbs in about a second.',
    () => g.batchRows(),
  );
  m.gauge(SINK_METRICS.spoolBytes, 'Bytes in the on-disk spool.', () => g.spoolBytes());
  m.counter(SINK_METRICS.enqueued, 'Spans accepted by the sink.');
  m.counter(SINK_METRICS.refused, 'Spans refused because the queue was full or the sink closing.');
  m.counter(SINK_METRICS.sunk, 'Rows the store acknowledged, by table.');
  m.counter(SINK_METRICS.failures, 'Insert attempts that failed or timed out.');
  m.counter(SINK_METRICS.retried, 'Insert attempts that were retries.');
  m.counter(SINK_METRICS.spooled, 'Rows written to the spool, by table.');
  m.counter(SINK_METRICS.replayed, 'Spooled rows the store acknowledged on replay, by table.');
  m.counter(SINK_METRICS.dropped, 'Rows dropped, by table and reason.');
  m.counter(
    SINK_METRICS.rejected,
    `Rows the store refused as bad data, set aside in the spool's ${rejectedFolder} folder, by table.`,
  );
  m.counter(SINK_METRICS.spoolCorrupt, 'Bytes of corrupt or torn spool tails skipped.');
}
