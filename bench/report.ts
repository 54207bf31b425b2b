// Renders BENCHMARKS.md: figures as ratios to the raw insert limit writing the same rows, each next to its target.
import type { DecodeResult, RawInsertResult } from './phases.js';
import { mib, ms, percentile, rate, ratio } from './stats.js';

export interface E2eResult {
  rubrics: boolean;
  spansSent: number;
  /** Rows counted of the measured load (the warm-up's taken out). */
  rows: number;
  /** The warm-up before the clock: span rows it stored, and the main thread's CPU for it; null without one. */
  warmup: { rows: number; mainThreadCpuSeconds: number | null } | null;
  /** Rows the sink wrote to its disk spool instead (replayed at the next start; not counted). */
  spooled: number;
  dropped: number;
  evaluations: number;
  seconds: number;
  spansPerSecond: number;
  spansPerCpuSecond: number;
  cpuSeconds: number;
  /** CPU of the server's JavaScript main thread alone; null where it cannot be read (not Linux). */
  mainThreadCpuSeconds: number | null;
  spansPerMainThreadCpuSecond: number | null;
  /** Main-thread CPU of closing the server after the clock stopped (the engine's teardown, once per process). */
  closeMainThreadCpuSeconds: number | null;
  /** CPU of V8's helper threads over the run (garbage collection, compiling; see bench/threadCpu.ts). */
  v8HelpersCpuSeconds: number | null;
  /** CPU of libuv's pool over the run: the engine's insert calls and the spool's file I/O. */
  libuvPoolCpuSeconds: number | null;
  maxRssBytes: number;
  latenciesMs: number[];
  retries: number;
  failures: number;
}

export interface ReportInput {
  quick: boolean;
  /** V8 flags the server and stage children ran with beyond npm start's (`--serve-flags`); [] by default. */
  serveFlags: readonly string[];
  machine: string;
  date: string;
  source: string;
  spans: number;
  /** Spans the server is sent (and drains) before each end-to-end run's clock starts. */
  warmupSpans: number;
  perRequest: number;
  concurrency: number;
  bodyBytes: number;
  decode: DecodeResult;
  /** The raw insert limits: span rows alone, and the rows end to end writes with rubrics on. */
  raws: RawInsertResult[];
  runs: E2eResult[];
  /** Export latencies against a receiver that only reads the body: the exporter's and HTTP's own share. */
  baselineLatenciesMs?: number[];
  sections: string[];
  notes: string[];
  minutes: number;
}

/** The OpenTelemetry Collector's published figure for OTLP in with batching: ~10,000 spans/s per core. */
export const COLLECTOR_SPANS_PER_CORE = 10_000;
/** End to end should stay within this factor of the raw insert limit. */
export const MAX_SLOWDOWN_VS_RAW = 3;

const met = (ok: boolean | undefined): string => (ok === undefined ? 'n/a' : ok ? 'yes' : 'no');
/** CPU-s to two places, or n/a where unmeasured. */
const seconds = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2));
/** A raw limit's main thread only hands ready bytes to the engine: its time is shown, not a rate. */
function rawMainRate(raw: RawInsertResult): string {
  if (raw.mainThreadCpuSeconds === null) return 'n/a';
  return `— (engine work; the hand-off took ${raw.mainThreadCpuSeconds.toFixed(2)} CPU-s)`;
}
const rubricsName = (rubrics: boolean): string => (rubrics ? 'rubrics on' : 'no rubrics');

/**
 * CPU-s of prefloop's own threads: the main thread and V8's helpers, which do its JavaScript's garbage
 * collection and compiling. Null when either was not measured.
 */
export function prefloopCpuSeconds(run: E2eResult): number | null {
  if (run.mainThreadCpuSeconds === null || run.v8HelpersCpuSeconds === null) return null;
  return run.mainThreadCpuSeconds + run.v8HelpersCpuSeconds;
}

/** Spans per CPU-s of prefloop's own threads (prefloopCpuSeconds), or null. */
export function spansPerPrefloopCpuSecond(run: E2eResult): number | null {
  const seconds = prefloopCpuSeconds(run);
  return seconds === null || seconds <= 0 ? null : run.rows / seconds;
}

/**
 * Spans per CPU-s of prefloop's threads plus whatever libuv's pool spent beyond the raw limit's pool for as
 * many rows (the engine's insert calls): the spool's file I/O, and whatever more the engine's insert calls
 * cost beside prefloop's busy threads than alone, counted against prefloop. An upper bound on prefloop's
 * cost, where prefloopCpuSeconds is all of it but the spool's I/O.
 */
function withPoolExcessRate(run: E2eResult, raw: RawInsertResult | undefined): string {
  const seconds = prefloopCpuSeconds(run);
  if (
    seconds === null ||
    run.libuvPoolCpuSeconds === null ||
    raw === undefined ||
    raw.libuvPoolCpuSeconds === null
  )
    return 'n/a';
  // Per row: a --quick run's raw limit writes more rows than its end-to-end runs.
  const enginePool = (raw.libuvPoolCpuSeconds * run.rows) / raw.rows;
  const total = seconds + Math.max(0, run.libuvPoolCpuSeconds - enginePool);
  return total > 0 ? Math.round(run.rows / total).toLocaleString('en-US') : 'n/a';
}

/**
 * What runs of one kind are ranked by: spans per CPU-s of prefloop's threads when every run has it, else per
 * main-thread CPU-s, else spans per second (one unit for all, so a median never compares two).
 */
function rankerOf(runs: readonly E2eResult[]): { unit: string; rank: (run: E2eResult) => number } {
  if (runs.every((x) => spansPerPrefloopCpuSecond(x) !== null))
    return { unit: "spans per CPU-s of prefloop's threads", rank: (x) => spansPerPrefloopCpuSecond(x)! };
  return runs.every((x) => x.spansPerMainThreadCpuSecond !== null)
    ? { unit: 'spans per main-thread CPU-s', rank: (x) => x.spansPerMainThreadCpuSecond! }
    : { unit: 'spans/s', rank: (x) => x.spansPerSecond };
}

/** The median run (the lower middle of an even count): the one the summary reports for its kind. */
export function medianRun(runs: readonly E2eResult[]): E2eResult | undefined {
  const { rank } = rankerOf(runs);
  const sorted = [...runs].sort((a, b) => rank(a) - rank(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The spread of a repeated kind of run, under the summary: every run's figure, and which one is shown. */
function repeatsNote(runs: readonly E2eResult[]): string[] {
  const out: string[] = [];
  for (const rubrics of [true, false]) {
    const kind = runs.filter((x) => x.rubrics === rubrics);
    if (kind.length < 2) continue;
    const { unit, rank } = rankerOf(kind);
    const figures = kind.map((x) => rate(rank(x))).join(', ');
    out.push(
      `End to end, ${rubricsName(rubrics)}, ran ${kind.length} times (in run order: ${figures} ${unit}); the summary shows the median run. The same code's speed on this machine drifts by a fifth or more between minutes, so one run is one draw of it.`,
      '',
    );
  }
  return out;
}

export function renderReport(r: ReportInput): string {
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  const count = (n: number) => n.toLocaleString('en-US');
  push(
    '# Benchmarks',
    '',
    `Measured ${r.date} on ${r.machine}${r.quick ? ' (**--quick** run: small sizes, noisier)' : ''}.`,
    `The whole run took ${r.minutes.toFixed(1)} minutes. Reproduce with:`,
    '',
    '```sh',
    'npm run bench            # full run (a few minutes), rewrites BENCHMARKS.md',
    'npm run bench -- --quick # short run',
    ...(r.serveFlags.length > 0
      ? [`npm run bench -- --serve-flags "${r.serveFlags.join(' ')}"   # this run's extra V8 flags`]
      : []),
    '```',
    '',
    ...(r.serveFlags.length > 0
      ? [
          `**The server and the stages ran with extra V8 flags: \`${r.serveFlags.join(' ')}\`** (beside npm start's).`,
          '',
        ]
      : []),
    `Workload: ${count(r.spans)} OpenInference LLM spans built from ${r.source}`,
    `(multi-turn prompts as \`llm.input_messages.*\`, the reply as \`llm.output_messages.*\`, session, user,`,
    `model and token counts; each reuse of a transcript marks its texts "(n)", so no text recurs word for word`,
    `and nothing remembered by text makes a repeat cheap), ${r.perRequest} spans per OTLP/protobuf request (the SDK batch size),`,
    `${(r.bodyBytes / r.spans).toFixed(0)} bytes per span on the wire, sent by the OpenTelemetry JS SDK's OTLP/protobuf exporter with ${r.concurrency} exports in flight.`,
    'The load client runs on the same machine as the server, so wall-clock rates are a floor. The CPU rates',
    "divide by CPU time of the server process's threads, which hold on a shared machine where wall time does",
    "not: **prefloop's threads** (its JavaScript main thread — receive, decode, normalise, score, serialise —",
    "and V8's helper threads, which collect its garbage and compile it: the figure to hold against the",
    "Collector's per-core number, which counts the Collector alone, no backend), the **main thread** alone (a",
    'lower bound), and the **whole process** (prefloop plus the embedded ClickHouse engine it carries).',
    '',
    '## Summary',
    '',
    `Targets: ≥ ${count(COLLECTOR_SPANS_PER_CORE)} spans per CPU-second (the OpenTelemetry Collector's published`,
    `figure for OTLP in with batching, per core), and end to end within ${MAX_SLOWDOWN_VS_RAW}× of the raw insert`,
    'limit that writes the same rows. "Met" is shown for each measure separately.',
    '',
    "| Run | Rows written per span | Spans/s wall | Spans per CPU-s of prefloop's threads (main + V8 helpers) | Spans per main-thread CPU-s | Spans per process CPU-s | Ratio to its raw limit (wall / process CPU) | Met: ≥ 10k per CPU-s of prefloop's threads | Met: ≥ 10k per main-thread CPU-s | Met: ≥ 10k per process CPU-s | Met: within 3× of raw (wall / process CPU) |",
    '|---|---|---|---|---|---|---|---|---|---|---|',
  );
  const rawFor = (rubrics: boolean) => r.raws.find((x) => x.rubrics === rubrics);
  for (const raw of r.raws) {
    const what = raw.rubrics
      ? 'span rows with rubric scores (+ the `evaluations` rows ClickHouse derives from them)'
      : 'span rows alone';
    push(
      `| Raw insert limit, ${what} (${count(raw.inserts)} sink batches of ≤ ${count(raw.batchMaxRows)} rows) | ${(1 + raw.evaluations / raw.rows).toFixed(2)} | ${rate(raw.spansPerSecond)} | — | ${rawMainRate(raw)} | ${rate(raw.spansPerCpuSecond)} | 1.00× | — | — | — | — |`,
    );
  }
  // One row per kind: its median run (the headline run is repeated; see repeatsNote).
  const ordered = [true, false].flatMap((rubrics) => {
    const median = medianRun(r.runs.filter((x) => x.rubrics === rubrics));
    return median ? [median] : [];
  });
  for (const run of ordered) {
    const name = run.rubrics ? 'End to end, deterministic rubrics on' : 'End to end, no rubrics';
    const raw = rawFor(run.rubrics);
    const wallRatio = raw ? run.spansPerSecond / raw.spansPerSecond : NaN;
    const cpuRatio = raw ? run.spansPerCpuSecond / raw.spansPerCpuSecond : NaN;
    const ownRate = spansPerPrefloopCpuSecond(run) ?? NaN;
    const mainRate = run.spansPerMainThreadCpuSecond ?? NaN;
    const within = (x: number) => (Number.isFinite(x) ? x >= 1 / MAX_SLOWDOWN_VS_RAW : undefined);
    const atLeast = (x: number) => (Number.isFinite(x) ? x >= COLLECTOR_SPANS_PER_CORE : undefined);
    push(
      `| ${name} | ${(1 + run.evaluations / run.rows).toFixed(2)} | ${rate(run.spansPerSecond)} | ${rate(ownRate)} | ${rate(mainRate)} | ${rate(run.spansPerCpuSecond)} | ${ratio(wallRatio)} / ${ratio(cpuRatio)} | ${met(atLeast(ownRate))} | ${met(atLeast(mainRate))} | ${met(run.spansPerCpuSecond >= COLLECTOR_SPANS_PER_CORE)} | ${met(within(wallRatio))} / ${met(within(cpuRatio))} |`,
    );
  }
  const withRubrics = ordered.find((x) => x.rubrics);
  const noRubricsRaw = rawFor(false);
  push(
    `| Protobuf decode alone (one thread, this process) | — | ${rate(r.decode.spansPerSecond)} (${r.decode.mbPerSecond.toFixed(0)} MB/s) | — | — | — | ${noRubricsRaw ? ratio(r.decode.spansPerSecond / noRubricsRaw.spansPerSecond) : 'n/a'} of span rows alone | — | — | — | ${withRubrics && r.decode.spansPerSecond > withRubrics.spansPerSecond ? 'well above end to end: yes' : '—'} |`,
    '',
    ...repeatsNote(r.runs),
    '## Latency and memory',
    '',
    '| Measure | Result | Expectation |',
    '|---|---|---|',
  );
  const base = r.baselineLatenciesMs;
  if (base)
    push(
      `| Latency per ${r.perRequest}-span request, receiver that only reads the body (baseline) | p50 ${ms(percentile(base, 50))}, p99 ${ms(percentile(base, 99))} | the exporter, HTTP and the transfer alone |`,
    );
  for (const run of ordered) {
    const added = base
      ? `; added over the baseline: p50 ${ms(percentile(run.latenciesMs, 50) - percentile(base, 50))}, p99 ${ms(percentile(run.latenciesMs, 99) - percentile(base, 99))}`
      : '';
    push(
      `| Latency per ${r.perRequest}-span request, ${rubricsName(run.rubrics)} | p50 ${ms(percentile(run.latenciesMs, 50))}, p99 ${ms(percentile(run.latenciesMs, 99))}${added} | answered once the pipeline holds the batch |`,
    );
  }
  for (const run of ordered) {
    push(
      `| Peak memory (maxRSS) of the server, ${rubricsName(run.rubrics)} | ${mib(run.maxRssBytes)} | bounded by the queue limits |`,
    );
  }
  for (const raw of r.raws) {
    push(
      `| Peak memory (maxRSS) of the raw insert process, ${raw.rubrics ? 'rows with rubric results' : 'span rows alone'} | ${mib(raw.maxRssBytes)} | holds every batch built before the clock |`,
    );
  }
  push('');

  if (r.runs.length > 0) {
    push(
      '## End to end details',
      '',
      "| Run | Spans sent | Rows counted in ClickHouse | Spooled / dropped by the sink | Evaluations | Seconds (first send → drained) | Server process CPU-s | Main-thread CPU-s | V8 helpers' CPU-s | libuv pool's CPU-s (the engine's inserts, the spool's I/O) | Spans per CPU-s of prefloop's threads (main + V8 helpers) | The same, with the pool's CPU-s beyond the raw limit's for the same rows | Warm-up before the clock: spans stored, main-thread CPU-s | Closing the server afterwards, main-thread CPU-s | Requests answered 429/503 (retried by the exporter) | Failed exports |",
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    const all = [true, false].flatMap((rubrics) => r.runs.filter((x) => x.rubrics === rubrics));
    for (const run of all) {
      const mark =
        all.filter((x) => x.rubrics === run.rubrics).length > 1 && ordered.includes(run) ? ' (median)' : '';
      push(
        `| ${rubricsName(run.rubrics)}${mark} | ${count(run.spansSent)} | ${count(run.rows)} | ${count(run.spooled)} / ${count(run.dropped)} | ${count(run.evaluations)} | ${run.seconds.toFixed(2)} | ${run.cpuSeconds.toFixed(2)} | ${seconds(run.mainThreadCpuSeconds)} | ${seconds(run.v8HelpersCpuSeconds)} | ${seconds(run.libuvPoolCpuSeconds)} | ${rate(spansPerPrefloopCpuSecond(run) ?? NaN)} | ${withPoolExcessRate(run, rawFor(run.rubrics))} | ${run.warmup ? `${count(run.warmup.rows)}, ${seconds(run.warmup.mainThreadCpuSeconds)}` : 'none'} | ${seconds(run.closeMainThreadCpuSeconds)} | ${run.retries} | ${run.failures} |`,
      );
    }
    push('');
  }
  if (r.raws.length > 0) {
    push(
      '## Raw insert details',
      '',
      "| Row set | Spans | Evaluations | Inserts | Seconds | Process CPU-s | Main-thread CPU-s | libuv pool's CPU-s (the engine's insert calls) |",
      '|---|---|---|---|---|---|---|---|',
    );
    for (const raw of r.raws) {
      push(
        `| ${raw.rubrics ? 'rows with rubric results' : 'span rows alone'} | ${count(raw.rows)} | ${count(raw.evaluations)} | ${count(raw.inserts)} | ${raw.seconds.toFixed(2)} | ${raw.cpuSeconds.toFixed(2)} | ${seconds(raw.mainThreadCpuSeconds)} | ${seconds(raw.libuvPoolCpuSeconds)} |`,
      );
    }
    push('');
  }
  push(
    '## How each figure is measured',
    '',
    '- **Raw insert limits**: exactly the batches the sink inserts, built before the clock starts the way the',
    '  pipeline builds them — `decodeProtobuf` → `normalizeSpan` → (rubrics on: `Scorer.scoreSync` with the',
    '  default rubric file, deterministic rubrics only, then `addEvaluationAttributes`) → `encodeRequest` per',
    "  request → whole requests grouped by the sink's own `batchLength` (up to `batch.max_rows` rows and",
    "  `batch.max_bytes` encoded bytes) → `combineRequests`. On the clock each batch goes through `insertBatch`, the sink's own call, into a fresh",
    '  embedded chDB in its own process; then both tables are `count()`ed. Two row sets: span rows alone (what',
    '  end to end writes without rubrics) and span rows carrying the scores, from which the materialized view of',
    '  migration 0005 writes one `evaluations` row per result (what it writes with rubrics on: the pipeline',
    '  inserts only span rows). Each end-to-end run is reported as a ratio to the limit that writes its',
    '  rows, so the figures travel between machines.',
    '- **End to end**: a separate server process runs `startPrefloop` on a fresh embedded store, with the V8',
    '  flags `npm start` passes (see package.json: a larger young generation, so request objects die before',
    "  they are copied; about 20% more spans per CPU-s than Node's default here); this process",
    '  exports the spans (built as SDK `ReadableSpan`s before the clock starts) through the real',
    '  `@opentelemetry/exporter-trace-otlp-proto` exporter — its serializer, HTTP transport and 429/503',
    '  `Retry-After` retries. Before the clock starts, each server is warmed up:',
    `  ${r.warmupSpans.toLocaleString('en-US')} other spans (later reuses of the transcripts, so none repeats a measured one) are sent`,
    '  and drained into the store. Why: serve runs for days, so its steady state is what a per-core figure',
    "  describes, not the first seconds in which V8 still interprets and compiles the hot path; the warm-up's",
    '  main-thread CPU is shown apart in the details. The clock stops when the server',
    '  has drained into ClickHouse (queue and spool empty), before it closes: closing is once per process, not',
    '  per span, and its main-thread CPU is shown apart in the details. The rate is rows counted in',
    "  `otel_traces` afterwards, less the warm-up's. With rubrics on it runs",
    '  five times, and without them twice (each once in a `--quick` run), each on a fresh server and store; the',
    '  summary shows the median of each.',
    '- **Spans per process CPU-s**: `process.cpuUsage()` of the server from ready to drained — every thread:',
    "  prefloop's JavaScript plus the embedded ClickHouse engine (its query threads and the libuv workers it",
    "  runs on) plus V8's GC and compiler threads. This is prefloop **and** its backend.",
    "- **Spans per CPU-s of prefloop's threads**: user + system time, read from `/proc/self/task/<tid>/stat`",
    '  (Linux; 10 ms resolution; "n/a" elsewhere) over the same span, of the server\'s JavaScript main thread',
    "  (receive, decode, normalise, score, serialise rows) and of V8's helper threads (its concurrent garbage",
    "  collection and compiling: the cost of prefloop's JavaScript that V8 runs beside it). This is prefloop's",
    "  own work without the engine, so it is the figure that compares with the Collector's ~10,000 spans/s per",
    '  core, which counts the Collector alone (its garbage collection included) and no backend. How the threads',
    "  are told apart: Node's threads all carry Node's name, the engine's carry their own; of Node's, libuv's",
    '  pool is found before the clock starts by giving it one PBKDF2 job per thread (the threads that gain CPU',
    "  meanwhile), and the others are V8's (under the bench's `--import tsx`, also the module loader's idle",
    '  worker). The **main thread** alone is a lower bound.',
    "- **libuv's pool** runs the embedded engine's insert calls and the spool's file I/O, so its CPU is left out",
    "  of prefloop's threads. The raw limits measure the engine's share for the same rows (in the raw insert",
    '  limits the main thread only hands the ready bytes to the engine, and the pool does the insert calls). The',
    "  details count the pool's CPU beyond that share against prefloop too: an upper bound on prefloop's cost,",
    "  since the same insert calls may cost the engine more beside prefloop's busy threads than alone.",
    '- **Decode alone**: `decodeProtobuf` over the same bodies in this process, after a warm-up.',
    "- **Latency**: wall time of each `export()` call from the exporter's send to its result, its retries",
    '  included. The baseline runs the same exporter, batches and concurrency against a child process that only',
    '  reads each body and answers 200; "added" is the difference of the percentiles: what prefloop adds to an',
    "  instrumented service's export of one batch.",
    '- **Peak memory**: `process.resourceUsage().maxRSS` of each child process at the end of its run.',
    '',
  );
  if (r.notes.length > 0) push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  for (const s of r.sections) push(s.trimEnd(), '');
  return lines.join('\n');
}
