// Renders BENCHMARKS.md: figures as ratios to the raw insert limit, each next to its target.
import type { DecodeResult, RawInsertResult } from './phases.js';
import { mib, ms, percentile, rate, ratio } from './stats.js';

export interface E2eResult {
  rubrics: boolean;
  spansSent: number;
  rows: number;
  /** Rows the sink wrote to its disk spool instead (replayed at the next start; not counted). */
  spooled: number;
  dropped: number;
  evaluations: number;
  seconds: number;
  spansPerSecond: number;
  spansPerCpuSecond: number;
  cpuSeconds: number;
  maxRssBytes: number;
  latenciesMs: number[];
  retries: number;
  failures: number;
}

export interface ReportInput {
  quick: boolean;
  machine: string;
  date: string;
  source: string;
  spans: number;
  perRequest: number;
  concurrency: number;
  bodyBytes: number;
  decode: DecodeResult;
  raw: RawInsertResult;
  runs: E2eResult[];
  sections: string[];
  notes: string[];
  minutes: number;
}

/** The OpenTelemetry Collector's published figure for OTLP in with batching: ~10,000 spans/s per core. */
export const COLLECTOR_SPANS_PER_CORE = 10_000;
/** End to end should stay within this factor of the raw insert limit. */
export const MAX_SLOWDOWN_VS_RAW = 3;

export function renderReport(r: ReportInput): string {
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  push(
    '# Benchmarks',
    '',
    `Measured ${r.date} on ${r.machine}${r.quick ? ' (**--quick** run: small sizes, noisier)' : ''}.`,
    `The whole run took ${r.minutes.toFixed(1)} minutes. Reproduce with:`,
    '',
    '```sh',
    'npm run bench            # full run (a few minutes), rewrites BENCHMARKS.md',
    'npm run bench -- --quick # short run',
    '```',
    '',
    `Workload: ${r.spans.toLocaleString('en-US')} OpenInference LLM spans built from ${r.source}`,
    `(multi-turn prompts as \`llm.input_messages.*\`, the reply as \`llm.output_messages.*\`, session, user,`,
    `model and token counts), ${r.perRequest} spans per OTLP/protobuf request (the SDK batch size),`,
    `${(r.bodyBytes / r.spans).toFixed(0)} bytes per span on the wire, ${r.concurrency} concurrent keep-alive connections.`,
    'The load client runs on the same machine as the server, so wall-clock rates are a floor; the',
    '"per CPU-second" rates divide by the CPU time of the server process alone (all its threads, chDB',
    'included), which is what "per core" means and holds on a shared machine.',
    '',
    '## Summary',
    '',
    '| Measure | Result | Ratio to raw insert limit | Target | Met |',
    '|---|---|---|---|---|',
  );
  const rawRate = r.raw.spansPerSecond;
  const withRubrics = r.runs.find((x) => x.rubrics);
  const withoutRubrics = r.runs.find((x) => !x.rubrics);
  push(
    `| Raw insert limit (rows straight into chDB, ${r.raw.batchRows.toLocaleString('en-US')}-row batches) | ${rate(rawRate)} spans/s (${rate(r.raw.spansPerCpuSecond)} per CPU-s) | 1.00× | — | — |`,
  );
  for (const run of [withRubrics, withoutRubrics]) {
    if (!run) continue;
    const name = run.rubrics ? 'End to end, deterministic rubrics on' : 'End to end, no rubrics';
    const ratioToRaw = run.spansPerSecond / rawRate;
    const perCoreOk = run.spansPerCpuSecond >= COLLECTOR_SPANS_PER_CORE;
    const rawOk = ratioToRaw >= 1 / MAX_SLOWDOWN_VS_RAW;
    push(
      `| ${name} | ${rate(run.spansPerSecond)} spans/s wall, ${rate(run.spansPerCpuSecond)} per CPU-s | ${ratio(ratioToRaw)} | ≥ ${rate(COLLECTOR_SPANS_PER_CORE)}/CPU-s (Collector, per core); ≥ ${ratio(1 / MAX_SLOWDOWN_VS_RAW)} of raw | ${perCoreOk ? 'yes' : 'no'} / ${rawOk ? 'yes' : 'no'} |`,
    );
  }
  push(
    `| Protobuf decode alone (one thread) | ${rate(r.decode.spansPerSecond)} spans/s, ${r.decode.mbPerSecond.toFixed(0)} MB/s | ${ratio(r.decode.spansPerSecond / rawRate)} | well above end to end | ${withRubrics && r.decode.spansPerSecond > withRubrics.spansPerSecond ? 'yes' : '—'} |`,
  );
  for (const run of r.runs) {
    push(
      `| Latency per ${r.perRequest}-span request, ${run.rubrics ? 'rubrics on' : 'no rubrics'} | p50 ${ms(percentile(run.latenciesMs, 50))}, p99 ${ms(percentile(run.latenciesMs, 99))} | — | answered once the pipeline holds the batch | — |`,
    );
  }
  for (const run of r.runs) {
    push(
      `| Peak memory (maxRSS) of the server, ${run.rubrics ? 'rubrics on' : 'no rubrics'} | ${mib(run.maxRssBytes)} | — | bounded by the queue limits | — |`,
    );
  }
  push(`| Peak memory (maxRSS) of the raw insert process | ${mib(r.raw.maxRssBytes)} | — | — | — |`, '');

  if (r.runs.length > 0) {
    push(
      '## End to end details',
      '',
      '| Run | Spans sent | Rows counted in ClickHouse | Spooled / dropped by the sink | Evaluations | Seconds (first send → drained) | Server CPU-s | 429/503 retries | Failed requests |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const run of r.runs) {
      push(
        `| ${run.rubrics ? 'rubrics on' : 'no rubrics'} | ${run.spansSent.toLocaleString('en-US')} | ${run.rows.toLocaleString('en-US')} | ${run.spooled.toLocaleString('en-US')} / ${run.dropped.toLocaleString('en-US')} | ${run.evaluations.toLocaleString('en-US')} | ${run.seconds.toFixed(2)} | ${run.cpuSeconds.toFixed(2)} | ${run.retries} | ${run.failures} |`,
      );
    }
    push('');
  }
  push(
    '## How each figure is measured',
    '',
    '- **Raw insert limit**: the very rows end to end writes (decoded, normalised and mapped before the clock',
    '  starts) inserted as JSONEachRow into `otel_traces` of a fresh embedded chDB, then `count()`ed. Everything',
    '  else is reported as a ratio to it, so the figures travel between machines.',
    '- **End to end**: a separate server process runs `startPrefloop` on a fresh embedded store; this process',
    '  POSTs pre-encoded OTLP/protobuf bodies and honours 429/503 `Retry-After`. The clock stops when the server',
    '  has drained into ClickHouse; the rate is rows counted in `otel_traces` afterwards.',
    '- **Decode alone**: `decodeProtobuf` over the same bodies in this process, after a warm-up.',
    '- **Latency**: wall time of each request from first byte sent to the answer, retries included.',
    '- **Peak memory**: `process.resourceUsage().maxRSS` of the server process at the end of the run.',
    '',
  );
  if (r.notes.length > 0) push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  for (const s of r.sections) push(s.trimEnd(), '');
  return lines.join('\n');
}
