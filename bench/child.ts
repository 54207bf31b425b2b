// Benchmark child process: one engine per process, so each chDB phase runs in its own, and its peak
// memory and CPU time are its own. Prints `READY <port>` (serve) and one `RESULT <json>` line.
// Usage: node --import tsx bench/child.ts raw --spans N --per-request N [--rubrics]
//        node --import tsx bench/child.ts serve [--no-rubrics]
//        node --import tsx bench/child.ts null   (a receiver that only reads each body and answers 200)
//        node --import tsx bench/child.ts stages [--quick]   (bench/stages.ts's section, as markdown)
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBodies, loadConversations } from './llmSpans.js';
import { rawInsertPhase, storedRows } from './phases.js';
import { ChdbStore } from '../src/sink/ChdbStore.js';
import { startBenchServer } from './server.js';
import { benchSection as stagesSection } from './stages.js';
import {
  libuvPoolThreads,
  mainThreadCpuSeconds,
  mainThreadCpuSince,
  nodeThreadsCpuSeconds,
  nodeThreadsCpuSince,
} from './threadCpu.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

function result(value: object): void {
  process.stdout.write(`RESULT ${JSON.stringify(value)}\n`);
}

async function main(): Promise<void> {
  const phase = args[0];
  if (phase === 'raw') {
    const { conversations } = loadConversations();
    const { bodies } = encodeBodies(conversations, flag('--spans', 50_000), flag('--per-request', 512));
    result(await rawInsertPhase(bodies, args.includes('--rubrics')));
    return;
  }
  if (phase === 'serve') {
    const dir = mkdtempSync(join(tmpdir(), 'prefloop-bench-e2e-'));
    try {
      const server = await startBenchServer(`embedded:${dir}`, !args.includes('--no-rubrics'));
      // Before the clock: which of Node's threads are libuv's pool (the engine's inserts) and which V8's.
      const pool = await libuvPoolThreads();
      let main0 = mainThreadCpuSeconds();
      let others0 = pool && nodeThreadsCpuSeconds(pool);
      let cpu0 = process.cpuUsage();
      let warmup: { rows: number; evaluations: number; mainThreadCpuSeconds: number | null } | undefined;
      process.stdout.write(`READY ${server.port}\n`);
      // `warm`: what was sent so far was the warm-up. It is drained into the store, and the clock starts over.
      for await (const line of createInterface({ input: process.stdin })) {
        if (line.trim() === 'stop') break;
        if (line.trim() !== 'warm') continue;
        await server.drain();
        const warmCpu = mainThreadCpuSince(main0) ?? null;
        const counted = await server.countRows();
        warmup = { rows: counted.spans, evaluations: counted.evaluations, mainThreadCpuSeconds: warmCpu };
        main0 = mainThreadCpuSeconds();
        others0 = pool && nodeThreadsCpuSeconds(pool);
        cpu0 = process.cpuUsage();
        process.stdout.write('WARMED\n');
      }
      await server.drain();
      const drainedAt = Date.now();
      const cpu = process.cpuUsage(cpu0);
      // The JavaScript main thread alone: receive, decode, normalise, score, serialise (chDB runs elsewhere).
      const main = mainThreadCpuSince(main0);
      const others = pool && nodeThreadsCpuSince(others0, nodeThreadsCpuSeconds(pool));
      // Closing the engine is once per process, not per span: timed apart, after the clock stopped.
      const close0 = mainThreadCpuSeconds();
      await server.stop();
      const closeMain = mainThreadCpuSince(close0);
      const store = new ChdbStore(dir, 'prefloop');
      const stored = await storedRows(store);
      await store.close();
      result({
        // Rows of the measured load alone: the warm-up's were all in the store when the clock started over.
        rows: stored.spans - (warmup?.rows ?? 0),
        warmup: warmup ?? null,
        sink: server.sinkCounts(),
        refusedRequests: server.refusedRequests(),
        evaluations: stored.evaluations - (warmup?.evaluations ?? 0),
        drainedAt,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        mainThreadCpuSeconds: main ?? null,
        closeMainThreadCpuSeconds: closeMain ?? null,
        v8HelpersCpuSeconds: others?.v8Helpers ?? null,
        libuvPoolCpuSeconds: others?.libuvPool ?? null,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    }
    return;
  }
  if (phase === 'null') {
    // The latency baseline: what the exporter, HTTP and the body's transfer cost with no pipeline behind them.
    const server = createServer((req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-protobuf' });
        res.end(); // an empty ExportTraceServiceResponse
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
    for await (const line of createInterface({ input: process.stdin })) if (line.trim() === 'stop') break;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    result({});
    return;
  }
  if (phase === 'stages') {
    result({ markdown: await stagesSection({ quick: args.includes('--quick') }) });
    return;
  }
  throw new Error(`bench child: unknown phase ${String(phase)} (use raw, serve, null or stages)`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench child failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
