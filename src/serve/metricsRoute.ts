// GET /metrics: the registry in Prometheus text format, with masking tallies turned into counters first.
import { PATHS } from '../names.js';
import type { Metrics } from '../observe/Metrics.js';
import type { ReceiverRoute } from '../receive/OtlpReceiver.js';
import { recordRedactions, type RedactionTally } from '../security/masking.js';

export function metricsRoute(metrics: Metrics, tally: RedactionTally): ReceiverRoute {
  return {
    method: 'GET',
    path: PATHS.metrics,
    handle: (_req, res) => {
      // Masking tallies on the hot path in a plain Map; they become counters at scrape time.
      recordRedactions(metrics, tally);
      tally.clear();
      res
        .writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' })
        .end(metrics.render());
    },
  };
}
