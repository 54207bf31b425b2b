// Starts the real prefloop pipeline for the bench and the hostile tests, with or without rubrics.
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultConfig } from '../src/config/loadConfig.js';
import { packageRoot } from '../src/paths.js';
import { PIPELINE_METRICS } from '../src/pipeline/Pipeline.js';
import { startPrefloop } from '../src/serve/startPrefloop.js';
import { SINK_METRICS } from '../src/sink/SpanSink.js';
import { storedRows } from './phases.js';

export interface BenchServer {
  port: number;
  /** Drains everything into the store (queue and spool); serve keeps running. */
  drain(): Promise<void>;
  /** Drains, then stops (closing the engine). */
  stop(): Promise<void>;
  /** Sink counters after stop: rows written, spooled to disk (not yet in ClickHouse), dropped. */
  sinkCounts(): { sunk: number; spooled: number; dropped: number };
  /** Rows counted in the store now: span rows, and the evaluations ClickHouse derived from them. */
  countRows(): Promise<{ spans: number; evaluations: number }>;
  /** Requests answered 429/503 because the queue was full or serve was stopping (clients retried them). */
  refusedRequests(): number;
}

/** How long stop() waits for a spool to drain (a store that stays down keeps its spool; tests stop anyway). */
const SPOOL_DRAIN_MS = 300_000;

/** The default pipeline (default rubric file) on `storeUrl`, on a free loopback port. */
export async function startBenchServer(storeUrl: string, rubrics: boolean): Promise<BenchServer> {
  const base = defaultConfig();
  const config = rubrics ? base : { ...base, rubrics: [] };
  const running = await startPrefloop({ config, storeUrl, endpoint: '127.0.0.1:0', cwd: packageRoot });
  const m = running.metrics;
  const drain = async (): Promise<void> => {
    // Drain into the store first: close() alone spools what its grace period cannot insert. Under overload the
    // sink spills to its spool (memory bound), so "drained" also waits for the spool to be replayed.
    await running.flush();
    const deadline = Date.now() + SPOOL_DRAIN_MS;
    while (sumSeries(m.render(), SINK_METRICS.spoolBytes) > 0 && Date.now() < deadline) {
      await sleep(50);
      await running.flush();
    }
  };
  return {
    port: Number(new URL(running.url).port),
    drain,
    stop: async () => {
      await drain();
      await running.close();
    },
    refusedRequests: () => sumSeries(m.render(), PIPELINE_METRICS.refused),
    countRows: () => storedRows(running.store),
    sinkCounts: () => ({
      sunk: sumSeries(m.render(), SINK_METRICS.sunk),
      spooled: sumSeries(m.render(), SINK_METRICS.spooled),
      dropped: sumSeries(m.render(), SINK_METRICS.dropped),
    }),
  };
}

/** Sum of a counter over all its label sets, read from the Prometheus text. */
function sumSeries(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(name + ' ') || line.startsWith(name + '{'))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
