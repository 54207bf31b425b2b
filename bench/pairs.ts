// Pairs benchmark (not a test): >= 1,000,000 synthetic LLM spans with thumbs and rubric scores,
// pairs built by the views and exported; time and peak memory per step as a markdown section.
// Usage: node --import tsx bench/pairs.ts [spans=1000000]   (bench/run.ts calls benchSection)
// The run measures itself in a child process so that peak RSS is the pair build's alone (chDB
// included), and stops itself past PREFLOOP_BENCH_MAX_RSS_GB (default 8) on a shared machine.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportPairs } from '../src/export/exportPairs.js';
import { pairsSummary } from '../src/export/pairsSummary.js';
import { ChdbStore } from '../src/sink/ChdbStore.js';
import { migrate } from '../src/sink/migrate.js';
import { feedbackFindings } from '../src/views/maintain/findings.js';
import { maintainPairs } from '../src/views/maintain/maintainPairs.js';
import { storeNow, touchedUnits } from '../src/views/maintain/touchedUnits.js';
import { writeRubricPairConfig } from '../src/views/rubricPairConfig.js';

const self = fileURLToPath(import.meta.url);
const mib = (b: number) => (b / 1024 / 1024).toFixed(0);

/** The section for bench/run.ts: 1,000,000 spans, or 100,000 with `quick`. */
export function benchSection({ quick }: { quick: boolean }): Promise<string> {
  const spans = quick ? 100_000 : 1_000_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', self, String(spans)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`bench/pairs.ts ${spans} exited with ${code}`)),
    );
  });
}

/** Issue 28's targets (pairs kept as maintained state; see src/views/README.md), shown beside the figures. */
const TARGETS: Record<string, string> = {
  '`SELECT … FROM preference_pairs LIMIT 100`': '< 1 s',
  'pairs summary (`prefloop pairs`)': '< 3 s',
  'export dpo (stream → JSONL)': '< 30 s, peak < 1 GiB',
};

interface Step {
  name: string;
  seconds: number;
  peakRss: number;
}

async function run(spans: number): Promise<string> {
  const maxRss = Number(process.env.PREFLOOP_BENCH_MAX_RSS_GB ?? 8) * 1024 ** 3;
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-bench-pairs-'));
  const store = new ChdbStore(dir, 'prefloop');
  let stepPeak = 0;
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    stepPeak = Math.max(stepPeak, rss);
    if (rss > maxRss) {
      process.stderr.write(`bench/pairs: RSS ${mib(rss)} MiB passed the limit, stopping\n`);
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
      process.exit(3);
    }
  }, 100);
  sampler.unref();
  const steps: Step[] = [];
  const step = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
    stepPeak = process.memoryUsage.rss();
    const t0 = performance.now();
    const result = await body();
    steps.push({ name, seconds: (performance.now() - t0) / 1000, peakRss: stepPeak });
    process.stderr.write(`bench/pairs: ${name} ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    return result;
  };

  try {
    await migrate(store);
    await writeRubricPairConfig(store, [
      { rubricId: 'quality', rubricVersion: '1', noiseFloor: 0.1, higherIsBetter: true, weight: 1 },
    ]);
    const emptyCount = await step('count preference_pairs (empty store)', () =>
      store.query<{ n: string }>('SELECT count() AS n FROM preference_pairs'),
    );
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
    // What an analyst's first look costs (issue 28's target: under 1 s at 1,000,000 spans).
    await step('`SELECT … FROM preference_pairs LIMIT 100`', () =>
      store.query(
        'SELECT pair_id, source, prompt, chosen, rejected, margin, metadata FROM preference_pairs LIMIT 100',
      ),
    );
    const summary = await step('pairs summary (`prefloop pairs`)', () => pairsSummary(store));
    const out = join(dir, 'export');
    const result = await step('export dpo (stream → JSONL)', () =>
      exportPairs(store, { format: 'dpo', outDir: out }),
    );
    // Pair maintenance's first step (src/views/README.md, "Pairs at scale"): the units one new answer with a
    // thumb touches, on the full store — what each pass on serve's schedule pays before recomputing anything.
    const since = await storeNow(store);
    await store.command(
      `INSERT INTO otel_traces (Timestamp, TraceId, SpanId, SpanName, SpanKind, ServiceName, LlmKind, IsLlm,
         SessionId, PromptMessages, Response, PromptHash, PromptClass)
       VALUES (now64(9), 'late-trace', 'late-span', 'llm', 'Internal', 'bench', 'LLM', 1, 's0',
         '[{"role":"user","content":"question 0"}]', 'a late answer', lower(hex(cityHash64(0))), lower(hex(cityHash64(0))))`,
    );
    // The design's access path: one unit's inputs through the sort keys, against today's rule over everything.
    await step('feedback findings of every prompt (`pair_keys_feedback`, today)', () =>
      store.query('SELECT count() FROM pair_keys_feedback'),
    );
    const hashes = (
      await store.query<{ h: string }>('SELECT lower(hex(cityHash64(number * 7))) AS h FROM numbers(1000)')
    ).map((r) => r.h);
    await step('feedback findings of 1,000 prompts (per-unit rule, `feedbackFindings`)', () =>
      feedbackFindings(store, hashes),
    );
    const touched = await step('touched units since a watermark (1 new span)', () =>
      touchedUnits(store, since),
    );
    // The maintained state: built once, then kept up by incremental passes (nothing reads it yet).
    const built = await step('maintenance: first pass (builds the whole state)', () => maintainPairs(store));
    await store.command(
      `INSERT INTO otel_traces (Timestamp, TraceId, SpanId, SpanName, SpanKind, ServiceName, LlmKind, IsLlm,
         SessionId, PromptMessages, Response, PromptHash, PromptClass)
       SELECT now64(9), concat('new-', toString(number)), concat('new-', toString(number)), 'llm', 'Internal', 'bench',
         'LLM', 1, concat('n', toString(intDiv(number, 2))),
         concat('[{"role":"user","content":"new question ', toString(intDiv(number, 2)), '"}]'),
         concat('new answer ', toString(number)), concat('new', toString(intDiv(number, 2))),
         concat('new', toString(intDiv(number, 2)))
       FROM numbers(1000)`,
    );
    await store.command(
      `INSERT INTO feedback (Timestamp, FeedbackId, TraceId, SpanId, SessionId, Name, Score, Label, Explanation,
         AnnotatorKind, AnnotatorId, Identifier, Origin, Metadata)
       SELECT now64(9), concat('new-', toString(number)), concat('new-', toString(number)), concat('new-', toString(number)),
         '', 'user_feedback', if(number % 2 = 0, 1, 0), '', '', 'HUMAN', '', '', 'api', '{}'
       FROM numbers(1000)`,
    );
    const pass = await step('maintenance: incremental pass after 1,000 new answers with thumbs', () =>
      maintainPairs(store),
    );
    await step('state: `SELECT … FROM pair_groups_state FINAL LIMIT 100`', () =>
      store.query(
        'SELECT pair_id, source, margin, metadata FROM pair_groups_state FINAL WHERE Deleted = 0 LIMIT 100',
      ),
    );
    const stateCount = await step('state: count of the kept pairs', () =>
      store.query<{ n: string }>('SELECT count() AS n FROM pair_groups_state FINAL WHERE contradiction = 0'),
    );
    clearInterval(sampler);
    const usage = process.resourceUsage();
    const lines = [
      `## Pairs benchmark (${spans.toLocaleString('en')} stored LLM spans)`,
      '',
      `Synthetic store: ${spans.toLocaleString('en')} LLM spans (two ~200-character answers per prompt), a thumb on`,
      'every span and a rubric score agreeing with the thumbs on 90% of prompts (the other 10% contradict',
      'and are left out). Embedded chDB, one process; RSS includes the engine.',
      '',
      `- pairs: ${summary.total.toLocaleString('en')} (${Object.entries(summary.bySource)
        .map(
          ([s, r]) => `${s} ${r.pairs.toLocaleString('en')}, found by ${s} ${r.foundBy.toLocaleString('en')}`,
        )
        .join('; ')}); contradictions left out: ${summary.contradictions.toLocaleString('en')}`,
      `- exported: ${result.manifest.records.toLocaleString('en')} (train ${result.manifest.files.train.records.toLocaleString('en')}, hold-out ${result.manifest.files.holdout.records.toLocaleString('en')})`,
      `- touched since the watermark: ${touched.promptHashes.length} prompt hash(es), ${touched.promptClasses.length} class(es)`,
      `- maintained state: first pass ${built.promptHashes.toLocaleString('en')} prompt hashes and ${built.promptClasses.toLocaleString('en')} classes; incremental pass ${pass.promptHashes.toLocaleString('en')} prompt hashes, ${pass.merged.toLocaleString('en')} merged; kept pairs in the state ${Number(stateCount[0]?.n ?? 0).toLocaleString('en')}`,
      `- empty-store \`SELECT count() FROM preference_pairs\`: ${emptyCount[0]?.n ?? '?'} rows`,
      '',
      '| step | seconds | peak RSS (MiB) | issue 28 target at 1,000,000 spans |',
      '| --- | ---: | ---: | --- |',
      ...steps.map(
        (s) => `| ${s.name} | ${s.seconds.toFixed(1)} | ${mib(s.peakRss)} | ${TARGETS[s.name] ?? ''} |`,
      ),
      '',
      `- build pairs + export: ${steps
        .filter((s) => s.name.startsWith('pairs') || s.name.startsWith('export'))
        .reduce((t, s) => t + s.seconds, 0)
        .toFixed(1)} s`,
      `- peak RSS of the whole run (process, chDB included): ${mib(usage.maxRSS * 1024)} MiB`,
      `- node ${process.version}, ${process.platform}/${process.arch}`,
      '',
    ];
    return lines.join('\n');
  } finally {
    clearInterval(sampler);
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

if (process.argv[1] === self) {
  const spans = Number(process.argv[2] ?? 1_000_000);
  process.stdout.write(await run(spans));
}
