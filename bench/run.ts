// `npm run bench [-- --quick] [--out FILE] [--serve-flags "<V8 flags>"]`: measures prefloop on this machine and
// writes BENCHMARKS.md. --serve-flags adds V8 flags to the server and stage children (npm start's always
// apply), e.g. "--single-threaded-gc --no-concurrent-recompilation" to keep all of V8's work on the main thread.
// Phases: protobuf decode alone; the raw chDB insert limits (the sink's own batches, without and with
// rubric results, inserted with nothing else running); end to end (OTLP protobuf over HTTP →
// receiver → normalise → deterministic rubrics → embedded ClickHouse, counted there) with and without
// rubrics, each server warmed up before its clock starts; then the stages section (bench/stages.ts, in a child) and the score and pairs sections
// (bench/score.ts, bench/pairs.ts) and the burst section (bench/burst.ts) when present.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { exportAll, readableBatches } from './exporterClient.js';
import type { LoadResult } from './exporterClient.js';
import { encodeBodies, loadConversations } from './llmSpans.js';
import { decodePhase } from './phases.js';
import type { DecodeResult, RawInsertResult } from './phases.js';
import { renderReport } from './report.js';
import { serveNodeFlags } from './serveFlags.js';
import type { E2eResult } from './report.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1]! : fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const flagsIndex = args.indexOf('--serve-flags');
const extraServeFlags = flagsIndex >= 0 ? (args[flagsIndex + 1] ?? '').split(/\s+/).filter(Boolean) : [];
for (const flag of extraServeFlags)
  if (!flag.startsWith('--')) throw new Error(`--serve-flags takes V8 flags (--name[=value]), not ${flag}`);
const SIZES = quick
  ? {
      spans: 10_000,
      warmupSpans: 2_560,
      rawSpans: 20_000,
      perRequest: 512,
      concurrency: 4,
      decodeRounds: 2,
      rubricRuns: 1,
      plainRuns: 1,
    }
  : {
      spans: 60_000,
      warmupSpans: 10_240,
      rawSpans: 60_000,
      perRequest: 512,
      concurrency: 4,
      decodeRounds: 3,
      rubricRuns: 5,
      plainRuns: 2,
    };

const childPath = fileURLToPath(new URL('./child.ts', import.meta.url));

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/**
 * Runs a bench child; `onReady` gets the port once a serving child says READY, and `control` writes one of its
 * commands (`warm`, `stop`); `onWarmed` is called once the child has drained a warm-up and restarted its clock.
 */
function runChild(
  childArgs: string[],
  onReady?: (port: number, control: (command: 'warm' | 'stop') => void) => void,
  onWarmed?: () => void,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // The stages run as serve's pipeline does, so with its V8 flags too.
    const flags =
      childArgs[0] === 'serve' || childArgs[0] === 'stages' ? [...serveNodeFlags(), ...extraServeFlags] : [];
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', childPath, ...childArgs], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, PREFLOOP_TEST: '1' },
    });
    let result: unknown;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('READY ') && onReady)
        onReady(Number(line.slice(6)), (command) => child.stdin.write(`${command}\n`));
      else if (line === 'WARMED') onWarmed?.();
      else if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7));
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`bench child ${childArgs.join(' ')} exited with ${code}`));
    });
  });
}

/**
 * One end-to-end run on a fresh server: `warmup` first (drained, off the clock), then `batches` on the clock.
 * Why warm up: serve runs for days, so its steady state is what a per-core figure describes, not the seconds
 * in which V8 still interprets and compiles the hot path (~0.4 CPU-s of compiling in a 60,000-span run).
 */
async function e2e(
  warmup: ReadableSpan[][],
  batches: ReadableSpan[][],
  spans: number,
  rubrics: boolean,
): Promise<E2eResult> {
  let load: LoadResult | undefined;
  let loadError: unknown;
  let control: ((command: 'warm' | 'stop') => void) | undefined;
  let url = '';
  const measure = () =>
    exportAll(url, batches, SIZES.concurrency)
      .then((l) => (load = l))
      .catch((err: unknown) => (loadError = err))
      .finally(() => control?.('stop'));
  const childArgs = ['serve', ...(rubrics ? [] : ['--no-rubrics'])];
  const ready = (port: number, send: (command: 'warm' | 'stop') => void) => {
    control = send;
    url = `http://127.0.0.1:${port}`;
    if (warmup.length === 0) return void measure();
    exportAll(url, warmup, SIZES.concurrency)
      .then((l) => {
        if (l.failures > 0) throw new Error(`${l.failures} warm-up exports failed`);
        send('warm');
      })
      .catch((err: unknown) => {
        loadError = err;
        send('stop');
      });
  };
  const server = (await runChild(childArgs, ready, () => void measure())) as {
    rows: number;
    warmup: { rows: number; mainThreadCpuSeconds: number | null } | null;
    sink: { sunk: number; spooled: number; dropped: number };
    refusedRequests: number;
    evaluations: number;
    drainedAt: number;
    cpuSeconds: number;
    mainThreadCpuSeconds: number | null;
    closeMainThreadCpuSeconds: number | null;
    v8HelpersCpuSeconds: number | null;
    libuvPoolCpuSeconds: number | null;
    maxRssBytes: number;
  };
  if (!load) throw new Error(`load client failed: ${String(loadError)}`);
  const l = load as LoadResult;
  const seconds = (server.drainedAt - l.startedAt) / 1000;
  return {
    rubrics,
    spansSent: spans,
    rows: server.rows,
    warmup: server.warmup,
    spooled: server.sink.spooled,
    dropped: server.sink.dropped,
    evaluations: server.evaluations,
    seconds,
    spansPerSecond: server.rows / seconds,
    spansPerCpuSecond: server.rows / server.cpuSeconds,
    cpuSeconds: server.cpuSeconds,
    mainThreadCpuSeconds: server.mainThreadCpuSeconds,
    spansPerMainThreadCpuSecond:
      server.mainThreadCpuSeconds === null ? null : server.rows / server.mainThreadCpuSeconds,
    closeMainThreadCpuSeconds: server.closeMainThreadCpuSeconds,
    v8HelpersCpuSeconds: server.v8HelpersCpuSeconds,
    libuvPoolCpuSeconds: server.libuvPoolCpuSeconds,
    maxRssBytes: server.maxRssBytes,
    latenciesMs: l.latenciesMs,
    // The SDK exporter retries 429/503 inside export(); the server counts what it refused.
    retries: server.refusedRequests,
    failures: l.failures,
  };
}

/** Sections other engineers own: `export async function benchSection({ quick }): Promise<string>`. */
async function extraSection(file: string): Promise<string | undefined> {
  const path = fileURLToPath(new URL(file, import.meta.url));
  if (!existsSync(path)) return undefined;
  const mod = (await import(path)) as Record<string, unknown>;
  const fn = (mod.benchSection ?? mod.run ?? mod.default) as
    ((o: { quick: boolean }) => Promise<string>) | undefined;
  if (typeof fn !== 'function') return `_${file} exports no benchSection function._`;
  return fn({ quick });
}

async function main(): Promise<void> {
  const started = Date.now();
  const { conversations, source } = loadConversations();
  log(`spans from ${source}`);
  const { bodies, bytes } = encodeBodies(conversations, SIZES.spans, SIZES.perRequest);
  // The warm-up's spans come after the measured ones (later reuses of the transcripts, marked apart), so the
  // measured spans are the raw limit's, and no text of the warm-up recurs in them.
  const warmupBodies = encodeBodies(
    conversations,
    SIZES.warmupSpans,
    SIZES.perRequest,
    1,
    SIZES.spans,
  ).bodies;
  const rawBodies = encodeBodies(conversations, SIZES.rawSpans, SIZES.perRequest).bodies;

  log('decode alone');
  const decode: DecodeResult = decodePhase(rawBodies, SIZES.decodeRounds);
  // One child each: one engine per process, and each limit's memory and CPU are its own.
  const raws: RawInsertResult[] = [];
  for (const rubrics of [false, true]) {
    log(`raw insert limit, ${rubrics ? 'rows with rubric results' : 'span rows alone'}`);
    const rawArgs = ['raw', '--spans', String(SIZES.rawSpans), '--per-request', String(SIZES.perRequest)];
    raws.push((await runChild(rubrics ? [...rawArgs, '--rubrics'] : rawArgs)) as RawInsertResult);
  }

  // SDK spans for the real OTLP exporter, built before any clock starts.
  const batches = readableBatches(bodies);
  const warmupBatches = readableBatches(warmupBodies);
  const runs: E2eResult[] = [];
  const notes: string[] = [];
  // Each kind is repeated and its median reported: this machine's speed drifts by a fifth or more from one
  // minute to the next, and one run is one draw of that. Runs without rubrics (plainRuns) alternate with the
  // first runs with them, so neither kind gets all the fast or all the slow minutes.
  const order: boolean[] = [];
  for (let i = 0; i < SIZES.rubricRuns; i++) order.push(true, ...(i < SIZES.plainRuns ? [false] : []));
  for (const [i, rubrics] of order.entries()) {
    log(`end to end ${rubrics ? 'with' : 'without'} rubrics (run ${i + 1} of ${order.length})`);
    try {
      runs.push(await e2e(warmupBatches, batches, SIZES.spans, rubrics));
    } catch (err) {
      notes.push(`End to end ${rubrics ? 'with' : 'without'} rubrics did not run: ${(err as Error).message}`);
    }
  }
  log('latency baseline (a receiver that only reads the body)');
  let baselineMs: number[] | undefined;
  try {
    await runChild(['null'], (port, control) => {
      exportAll(`http://127.0.0.1:${port}`, batches, SIZES.concurrency)
        .then((l) => (baselineMs = l.latenciesMs))
        .catch((err: unknown) => notes.push(`latency baseline failed: ${String(err)}`))
        .finally(() => control('stop'));
    });
  } catch (err) {
    notes.push(`latency baseline did not run: ${(err as Error).message}`);
  }
  const sections: string[] = [];
  log('stages (own process, with the flags serve runs with)');
  try {
    const stages = (await runChild(['stages', ...(quick ? ['--quick'] : [])])) as { markdown: string };
    sections.push(stages.markdown);
  } catch (err) {
    notes.push(`the stages section did not run: ${(err as Error).message}`);
  }
  for (const file of ['./score.ts', './pairs.ts', './burst.ts', './cluster.ts', './reward.ts', './ui.ts']) {
    log(`section ${file}`);
    try {
      const section = await extraSection(file);
      if (section) sections.push(section);
    } catch (err) {
      notes.push(`${file} failed: ${(err as Error).message}`);
    }
  }
  const markdown = renderReport({
    quick,
    serveFlags: extraServeFlags,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 1024 ** 3)} GiB RAM, Node ${process.version}, ${process.platform}`,
    date: new Date().toISOString().slice(0, 10),
    source,
    spans: SIZES.spans,
    warmupSpans: SIZES.warmupSpans,
    perRequest: SIZES.perRequest,
    concurrency: SIZES.concurrency,
    bodyBytes: bytes,
    decode,
    raws,
    runs,
    ...(baselineMs ? { baselineLatenciesMs: baselineMs } : {}),
    sections,
    notes,
    minutes: (Date.now() - started) / 60_000,
  });
  writeFileSync(out, markdown + handWritten(out));
  log(`wrote ${out} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const n of notes) log(n);
}

/** The heading of BENCHMARKS.md's hand-written part: kept as it is when the bench writes the file anew. */
const HAND_WRITTEN = '## Method notes and history';

/** The hand-written tail of the existing report (from HAND_WRITTEN on), or '' when there is none. */
function handWritten(path: string): string {
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const at = old.indexOf(`\n${HAND_WRITTEN}\n`);
  return at < 0 ? '' : `\n${old.slice(at + 1)}`;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
