// Benchmark: deterministic rubric scoring cost per span on realistic spans built from the HH-RLHF data.
// Run: node --import tsx bench/score.ts [pairs-file] [rubric-file]. Prints a markdown section.
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { readHhPairs } from '../src/score/calibrate/hhPairs.js';
import { EVALUATORS } from '../src/score/evaluators/registry.js';
import { loadRubricFile, parseRubricFile } from '../src/score/RubricFile.js';
import { Scorer } from '../src/score/Scorer.js';
import { syntheticRecord } from '../src/score/syntheticRecord.js';
import type { SpanRecord } from '../src/normalize/types.js';

const pairsFile = process.argv[2] ?? '../shared/data/hh-rlhf/harmless-base-test.jsonl.gz';
const rubricFile = process.argv[3] ?? 'collector-config/rubrics.yaml';

const { pairs } = readHhPairs(pairsFile);
// Every reply becomes one span; the earlier turns double as retrieved documents so groundedness runs too.
const spans: SpanRecord[] = pairs.flatMap((p, i) =>
  [p.chosen, p.rejected].map((response, j) =>
    syntheticRecord({
      prompt: p.prompt,
      response,
      documents: p.prompt.filter((m) => m.role === 'assistant').map((m) => ({ content: m.content })),
      spanId: (i * 2 + j).toString(16).padStart(16, '0'),
    }),
  ),
);

function measure(
  scorer: Scorer,
  rounds: number,
): { usPerSpan: number; spansPerSec: number; results: number } {
  let results = 0;
  for (const s of spans.slice(0, 500)) scorer.scoreSync(s); // warm-up
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const s of spans) results += scorer.scoreSync(s).length;
  const ms = performance.now() - t0;
  const n = spans.length * rounds;
  return { usPerSpan: (ms * 1000) / n, spansPerSec: n / (ms / 1000), results: results / rounds };
}

const set = loadRubricFile(rubricFile);
const all = measure(new Scorer(set, { skipJudges: true }), 3);
const rows = [...EVALUATORS.keys()].map((name) => {
  const one = parseRubricFile(`rubrics:\n  - {id: ${name}, evaluator: ${name}, threshold: 0.5}\n`);
  return { name, ...measure(new Scorer(one, { skipJudges: true }), 3) };
});

const avgLen = Math.round(spans.reduce((n, s) => n + s.response.length, 0) / spans.length);
const avgPrompt = Math.round(
  spans.reduce((n, s) => n + s.prompt.reduce((m, x) => m + x.content.length, 0), 0) / spans.length,
);
console.log(`## Rubric scoring (deterministic, in flight)

${spans.length} spans from ${pairsFile} (both replies of every pair; mean reply ${avgLen} chars, mean prompt ${avgPrompt} chars),
rubric file ${rubricFile} (${set.rubrics.length} rubrics, set ${set.hash}); one core of ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.

| rubrics | µs/span | spans/s | results/span |
|---|---:|---:|---:|
| whole default file | ${all.usPerSpan.toFixed(1)} | ${Math.round(all.spansPerSec).toLocaleString('en-US')} | ${(all.results / spans.length).toFixed(2)} |
${rows.map((r) => `| ${r.name} alone | ${r.usPerSpan.toFixed(1)} | ${Math.round(r.spansPerSec).toLocaleString('en-US')} | ${(r.results / spans.length).toFixed(2)} |`).join('\n')}
`);
