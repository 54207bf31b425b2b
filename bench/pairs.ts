// Pairs benchmark (not a test): >= 1,000,000 synthetic LLM spans with thumbs and rubric scores,
// pairs built by the views and exported; prints time and peak memory as a markdown section.
// Usage: node --import tsx bench/pairs.ts [spans=1000000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPairs } from '../src/export/exportPairs.js';
import { pairsSummary } from '../src/export/pairsSummary.js';
import { ChdbStore } from '../src/sink/ChdbStore.js';
import { migrate } from '../src/sink/migrate.js';
import { writeRubricPairConfig } from '../src/views/rubricPairConfig.js';

const spans = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'prefloop-bench-pairs-'));
const store = new ChdbStore(dir, 'prefloop');
const mib = (b: number) => (b / 1024 / 1024).toFixed(0);
let peakHeap = 0;
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 200);
sampler.unref();
const timings: Array<[string, number]> = [];
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await run();
  timings.push([name, (performance.now() - t0) / 1000]);
  return result;
}

try {
  await migrate(store);
  await writeRubricPairConfig(store, [
    { rubricId: 'quality', rubricVersion: '1', noiseFloor: 0.1, higherIsBetter: true, weight: 1 },
  ]);
  // Two answers per prompt (span n and n^1), one session per prompt; ~200-character answers.
  await step(`insert ${spans.toLocaleString('en')} spans`, () =>
    store.command(
      `INSERT INTO otel_traces (Timestamp, TraceId, SpanId, SpanName, SpanKind, ServiceName, LlmKind, IsLlm,
         SessionId, PromptMessages, Response, PromptHash, PromptClass)
       SELECT toDateTime64('2024-01-01 00:00:00', 9) + toIntervalSecond(number), lower(hex(toUInt128(number + 1))),
         lower(hex(toUInt64(number + 1))), 'llm', 'Internal', 'bench', 'LLM', 1, concat('s', toString(intDiv(number, 2))),
         concat('[{"role":"user","content":"question ', toString(intDiv(number, 2)), '"}]'),
         concat('answer ', toString(number), ' ', repeat('lorem ipsum ', 16)),
         lower(hex(cityHash64(intDiv(number, 2)))), lower(hex(cityHash64(intDiv(number, 2))))
       FROM numbers({n:UInt64})`,
      { n: spans },
    ),
  );
  // Thumbs on every span (even up, odd down) and a rubric score agreeing with them on 90%.
  await step('insert feedback + evaluations', async () => {
    await store.command(
      `INSERT INTO feedback (Timestamp, FeedbackId, TraceId, SpanId, SessionId, Name, Score, Label, Explanation,
         AnnotatorKind, AnnotatorId, Identifier, Origin, Metadata)
       SELECT toDateTime64('2024-01-02 00:00:00', 9), toString(number), lower(hex(toUInt128(number + 1))),
         lower(hex(toUInt64(number + 1))), '', 'user_feedback', if(number % 2 = 0, 1, 0), '', '', 'HUMAN', '', '', 'api', '{}'
       FROM numbers({n:UInt64})`,
      { n: spans },
    );
    await store.command(
      `INSERT INTO evaluations (Timestamp, TraceId, SpanId, Name, Score, Label, Explanation, AnnotatorKind, Identifier,
         RubricVersion, Origin, Metadata)
       SELECT toDateTime64('2024-01-02 00:00:00', 9), lower(hex(toUInt128(number + 1))), lower(hex(toUInt64(number + 1))),
         'quality', if((number % 2 = 0) != (intDiv(number, 2) % 10 = 0), 0.9, 0.2), '', '', 'CODE', 'quality@1', '1', 'prefloop', '{}'
       FROM numbers({n:UInt64})`,
      { n: spans },
    );
  });
  const summary = await step('pairs summary (views)', () => pairsSummary(store));
  const out = join(dir, 'export');
  const result = await step('export dpo (stream → JSONL)', () =>
    exportPairs(store, { format: 'dpo', outDir: out }),
  );
  clearInterval(sampler);
  const usage = process.resourceUsage();
  const lines = [
    `## Pairs benchmark (${spans.toLocaleString('en')} spans)`,
    '',
    `- pairs: ${summary.total.toLocaleString('en')} (${Object.entries(summary.bySource)
      .map(([s, r]) => `${s} ${r.pairs}`)
      .join(', ')}); contradictions left out: ${summary.contradictions}`,
    `- exported: ${result.manifest.records.toLocaleString('en')} (train ${result.manifest.files.train.records}, hold-out ${result.manifest.files.holdout.records})`,
    '',
    '| step | seconds |',
    '| --- | ---: |',
    ...timings.map(([name, s]) => `| ${name} | ${s.toFixed(1)} |`),
    '',
    `- peak RSS (process, chDB included): ${mib(usage.maxRSS * 1024)} MiB; peak JS heap: ${mib(peakHeap)} MiB`,
    `- node ${process.version}, ${process.platform}/${process.arch}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
