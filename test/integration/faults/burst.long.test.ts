// A burst several times larger than the queue, from four real OTLP exporters as fast as they can, then SIGTERM,
// restart, drain, SIGTERM: every acknowledged span is stored exactly once. With a healthy store the receiver
// pushes back (429) and the spool stays empty; with an outage mid-burst the spool is used, and nothing is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runBurstExporter } from '../../../bench/burstLoad.js';
import { DEFAULTS, TABLES } from '../../../src/names.js';
import { setDiagHandler } from '../../../src/observe/diag.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { SINK_METRICS } from '../../../src/sink/SpanSink.js';
import type { ServeChild } from './cliHarness.js';
import { ensureStopped, scrape, startServe, total, until } from './cliHarness.js';
import { startControllableStore } from './controllableStore.js';

setDiagHandler(() => undefined);

const EXPORTERS = 4;
/** Three times the default queue: the store cannot keep up, so the receiver must push back. */
const BURST = 3 * DEFAULTS.queueSpans;
/** 300,000 spans through the whole pipeline take minutes on two busy cores: past the suite's 4-minute default. */
const BURST_TIMEOUT_MS = 20 * 60_000;

/** The four exporters, all at once; `onBatch` hears each exporter's progress. */
function burst(url: string, acked: Set<string>, onBatch?: (index: number, sent: number) => void) {
  return Promise.all(
    Array.from({ length: EXPORTERS }, (_, index) =>
      runBurstExporter({
        url,
        index,
        share: BURST / EXPORTERS,
        acked,
        ...(onBatch ? { onBatch: (sent: number) => onBatch(index, sent) } : {}),
      }),
    ),
  );
}

/** Every stored span id with its count; the folder must not be held by serve. */
async function storedCounts(store: ChdbStore): Promise<Map<string, number>> {
  const rows = await store.query<{ id: string; n: string }>(
    `SELECT SpanId AS id, count() AS n FROM ${TABLES.traces} GROUP BY SpanId`,
  );
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

function assertEachOnce(acked: Set<string>, stored: Map<string, number>): void {
  let missing = 0;
  let twice = 0;
  for (const id of acked) if (!stored.has(id)) missing++;
  for (const n of stored.values()) if (n > 1) twice++;
  assert.equal(acked.size, BURST, 'every span was acknowledged in the end');
  assert.deepEqual(
    { missing, twice },
    { missing: 0, twice: 0 },
    'every acknowledged span stored exactly once',
  );
}

/** SIGTERM after the burst, a restart that drains what the spool holds, SIGTERM again; both stops clean. */
async function stopRestartDrain(first: ServeChild, args: string[]): Promise<void> {
  const stopped = await first.stop('SIGTERM', 120_000);
  assert.equal(stopped.code, 0, first.stderr());
  assert.match(first.stderr(), /stopped cleanly/);
  const second = await startServe(args, 60_000);
  try {
    await until(
      'the restarted serve to drain its spool',
      async () => {
        const m = await scrape(second.url);
        return total(m, SINK_METRICS.spoolBytes) === 0 && total(m, SINK_METRICS.queueSpans) === 0;
      },
      600_000,
    );
    const again = await second.stop('SIGTERM', 120_000);
    assert.equal(again.code, 0, second.stderr());
    assert.doesNotMatch(second.stderr(), /neither the store nor the spool/);
  } finally {
    await ensureStopped(second);
  }
}

test(
  'a burst against a healthy store: 429s push back, the spool stays empty, every acknowledged span stored once',
  { timeout: BURST_TIMEOUT_MS },
  async () => {
    const root = mkdtempSync(join(tmpdir(), 'prefloop-burst-'));
    const args = ['--store', `embedded:${join(root, 'data')}`];
    let serve: ServeChild | undefined;
    try {
      serve = await startServe(args, 60_000);
      const url = serve.url;
      const acked = new Set<string>();
      let spooledDuring = 0;
      let peakQueue = 0;
      const watch = async () => {
        const m = await scrape(url);
        spooledDuring = Math.max(
          spooledDuring,
          total(m, SINK_METRICS.spooled),
          total(m, SINK_METRICS.spoolBytes),
        );
        peakQueue = Math.max(peakQueue, total(m, SINK_METRICS.queueSpans));
      };
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          await watch();
          await sleep(250);
        }
      })();
      await burst(url, acked);
      watching = false;
      await watcher;
      await watch();
      const m = await scrape(url);
      assert.ok(
        total(m, 'prefloop_pipeline_refused_total') > 0,
        'the receiver answered 429: exporters retried',
      );
      assert.equal(spooledDuring, 0, 'the spool never held rows while the store was up');
      assert.ok(peakQueue <= DEFAULTS.queueSpans, `queue within its bound (peak ${peakQueue})`);
      await stopRestartDrain(serve, args);
      const store = new ChdbStore(join(root, 'data'), 'prefloop');
      try {
        assertEachOnce(acked, await storedCounts(store));
      } finally {
        await store.close();
      }
    } finally {
      await ensureStopped(serve);
      rmSync(root, { recursive: true, force: true, maxRetries: 5 });
    }
  },
);

test(
  'a burst with a store outage in the middle: the spool is used, and nothing acknowledged is lost',
  { timeout: BURST_TIMEOUT_MS },
  async () => {
    const root = mkdtempSync(join(tmpdir(), 'prefloop-burst-outage-'));
    const engine = new ChdbStore(join(root, 'data'), 'prefloop');
    const store = await startControllableStore(engine);
    const args = ['--store', `${store.url}/prefloop`];
    let serve: ServeChild | undefined;
    try {
      serve = await startServe(args, 60_000);
      const acked = new Set<string>();
      let outage: 'before' | 'down' | 'after' = 'before';
      await burst(serve.url, acked, (index, sent) => {
        // A third of the way through, exporter 0 takes the store down for four seconds.
        if (index !== 0 || outage !== 'before' || sent < BURST / EXPORTERS / 3) return;
        outage = 'down';
        store.set('drop');
        setTimeout(() => {
          outage = 'after';
          store.set('up');
        }, 4000).unref();
      });
      const m = await scrape(serve.url);
      assert.ok(total(m, SINK_METRICS.spooled) > 0, 'the outage sent batches to the spool');
      await stopRestartDrain(serve, args);
      assertEachOnce(acked, await storedCounts(engine));
    } finally {
      await ensureStopped(serve);
      await store.close();
      await engine.close();
      rmSync(root, { recursive: true, force: true, maxRetries: 5 });
    }
  },
);
