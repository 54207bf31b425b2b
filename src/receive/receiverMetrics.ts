// The receiver's Prometheus counters, declared once; names follow prefloop_<component>_<what>_total.
import { METRICS } from '../names.js';
import type { Metrics } from '../observe/Metrics.js';

export const RECEIVER_METRICS = METRICS.receiver;

/** Declares every receiver counter (idempotent), so /metrics shows them at 0 from the start. */
export function declareReceiverMetrics(metrics: Metrics): void {
  const m = RECEIVER_METRICS;
  metrics.counter(m.requests, 'HTTP requests answered by the OTLP receiver, by route and status code.');
  metrics.counter(m.spansAccepted, 'Spans taken by the pipeline from OTLP requests.');
  metrics.counter(
    m.spansRejected,
    'Spans not taken: reason=invalid (bad ids) or processing (processing the span threw), both reported in partial_success; or refused (pipeline full/unavailable, sender retries).',
  );
  metrics.counter(m.feedbackAccepted, 'Feedback items taken from POST /v1/feedback.');
  metrics.counter(
    m.badRequests,
    'Requests answered 4xx, by reason (decode, content_type, too_large, timeout, ...).',
  );
  metrics.counter(
    m.refused,
    'Requests answered 429/503 because the pipeline could not take them, by reason.',
  );
  metrics.counter(m.bytes, 'Request body bytes read, after decompression.');
}
