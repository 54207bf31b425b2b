// Benchmark: deterministic rubric scoring cost per span on realistic spans built from the HH-RLHF data.
// Run: node --import tsx bench/score.ts [pairs-file] [rubric-file]. Prints a markdown section; bench/run.ts
// calls benchSection() for the report.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Metrics } from '../src/observe/Metrics.js';
import { readHhPairs } from '../src/score/calibrate/hhPairs.js';
import { EVALUATORS } from '../src/score/evaluators/registry.js';
import { loadRubricFile, parseRubricFile } from '../src/score/RubricFile.js';
import { Scorer } from '../src/score/Scorer.js';
import { syntheticRecord } from '../src/score/syntheticRecord.js';
import type { SpanRecord } from '../src/records/types.js';
import { HH_RLHF_TEST } from '../test/helpers/hhData.js';

const DEFAULT_PAIRS = HH_RLHF_TEST;
const DEFAULT_RUBRICS = 'collector-config/rubrics.yaml';

/** Every reply becomes one span; the earlier turns double as retrieved documents so groundedness runs too. */
function buildSpans(pairsFile: string, limit?: number): SpanRecord[] {
  const { pairs } = readHhPairs(pairsFile);
  return (limit === undefined ? pairs : pairs.slice(0, limit)).flatMap((p, i) =>
    [p.chosen, p.rejected].map((response, j) =>
      syntheticRecord({
        prompt: p.prompt,
        response,
        documents: p.prompt.filter((m) => m.role === 'assistant').map((m) => ({ content: m.content })),
        spanId: (i * 2 + j).toString(16).padStart(16, '0'),
      }),
    ),
  );
}

function measure(
  spans: SpanRecord[],
  scorer: Scorer,
  rounds: number,
): { usPerSpan: number; spansPerSec: number; wallUs: number; results: number } {
  let results = 0;
  // Fresh record objects per round: evaluators cache a span's text features per record, and production
  // scores every span once, so a round must not reuse the previous round's tokens.
  const batches = Array.from({ length: rounds }, () => spans.map((s) => ({ ...s })));
  for (const s of spans) scorer.scoreSync({ ...s }); // warm-up: one full pass, so the JIT has settled
  // CPU time of this process, not wall time: the machine may be shared, and a busy neighbour would otherwise
  // show up as slow scoring. Wall time is reported alongside.
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const batch of batches) for (const s of batch) results += scorer.scoreSync(s).length;
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const cpuMs = (c.user + c.system) / 1000;
  const n = spans.length * rounds;
  return {
    usPerSpan: (cpuMs * 1000) / n,
    spansPerSec: n / (cpuMs / 1000),
    wallUs: (ms * 1000) / n,
    results: results / rounds,
  };
}

/** The markdown section; `quick` scores a quarter of the pairs once per row. */
export async function benchSection({
  quick = false,
  pairsFile = DEFAULT_PAIRS,
  rubricFile = DEFAULT_RUBRICS,
}: { quick?: boolean; pairsFile?: string; rubricFile?: string } = {}): Promise<string> {
  const shown = relative(process.cwd(), pairsFile);
  if (!existsSync(pairsFile)) return `## Rubric scoring\n\n_Skipped: ${shown} is not here._\n`;
  const spans = buildSpans(pairsFile, quick ? 600 : undefined);
  const rounds = quick ? 1 : 3;
  const set = loadRubricFile(rubricFile);
  // One discarded run first: the first measured pass also paid for JIT tiers and caches filling, and read
  // slower than the same file with metrics on, which does strictly more work.
  measure(spans, new Scorer(set, { skipJudges: true }), 1);
  const all = measure(spans, new Scorer(set, { skipJudges: true }), rounds);
  // As `serve` runs it: every result counted in the metrics registry.
  const withMetrics = measure(spans, new Scorer(set, { skipJudges: true, metrics: new Metrics() }), rounds);
  const rows = [...EVALUATORS.keys()].map((name) => {
    const one = parseRubricFile(`rubrics:\n  - {id: ${name}, evaluator: ${name}, threshold: 0.5}\n`);
    return { name, ...measure(spans, new Scorer(one, { skipJudges: true }), rounds) };
  });

  const avgLen = Math.round(spans.reduce((n, s) => n + s.response.length, 0) / spans.length);
  const avgPrompt = Math.round(
    spans.reduce((n, s) => n + s.prompt.reduce((m, x) => m + x.content.length, 0), 0) / spans.length,
  );
  return `## Rubric scoring (deterministic, in flight)

${spans.length} spans from ${shown} (both replies of every pair; mean reply ${avgLen} chars, mean prompt ${avgPrompt} chars),
rubric file ${rubricFile} (${set.rubrics.length} rubrics, set ${set.hash}); one core of ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version},
load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ' ',
    )} on ${cpus().length} cores. µs/span and spans/s are CPU time of this process (wall time alongside).

| rubrics | CPU µs/span | spans/s per core | wall µs/span | results/span |
|---|---:|---:|---:|---:|
${[
  { name: 'whole default file', ...all },
  { name: 'whole default file, with metrics', ...withMetrics },
  ...rows.map((r) => ({ ...r, name: `${r.name} alone` })),
]
  .map(
    (r) =>
      `| ${r.name} | ${r.usPerSpan.toFixed(1)} | ${Math.round(r.spansPerSec).toLocaleString('en-US')} | ${r.wallUs.toFixed(1)} | ${(r.results / spans.length).toFixed(2)} |`,
  )
  .join('\n')}
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(
    await benchSection({
      pairsFile: process.argv[2] ?? DEFAULT_PAIRS,
      rubricFile: process.argv[3] ?? DEFAULT_RUBRICS,
    }),
  );
}
