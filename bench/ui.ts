// Web UI benchmark (not a test): a store of 1,000,000 synthetic LLM spans (thumbs on every span, rubric
// scores, 200 failure clusters over 10 runs, proposed fixes), then each page part rendered from it as serve
// answers it (the same functions, the same SQL), timed; a page's time is the sum of its parts, loaded one
// after the other as the page's script does. Time per part, as a markdown section.
// Usage: node --import tsx bench/ui.ts [spans=1000000]   (bench/run.ts calls benchSection)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChdbStore } from '../src/sink/ChdbStore.js';
import { migrate } from '../src/sink/migrate.js';
import type { Store } from '../src/sink/Store.js';
import { clustersSection, fixesSection } from '../src/ui/clustersSection.js';
import { PairSnapshots } from '../src/ui/pairSnapshot.js';
import { pairsCharts, pairsQuery, pairsTable } from '../src/ui/pairsSection.js';
import { gatesSection, rubricsSection } from '../src/ui/rubricsSection.js';
import { writeRubricPairConfig } from '../src/views/rubricPairConfig.js';

const self = fileURLToPath(import.meta.url);

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
      code === 0 ? resolve(out) : reject(new Error(`bench/ui.ts ${spans} exited with ${code}`)),
    );
  });
}

/** Two answers per prompt, a thumb on each, a rubric score, spread over 30 days (so the charts have days). */
async function fill(store: Store, spans: number): Promise<void> {
  await migrate(store);
  await writeRubricPairConfig(store, [
    { rubricId: 'quality', rubricVersion: '1', noiseFloor: 0.1, higherIsBetter: true, weight: 1 },
  ]);
  const step = Math.max(1, Math.floor((30 * 86_400) / spans));
  await store.command(
    `INSERT INTO otel_traces (Timestamp, TraceId, SpanId, SpanName, SpanKind, ServiceName, LlmKind, IsLlm,
       SessionId, PromptMessages, Response, PromptHash, PromptClass)
     SELECT toDateTime64('2024-01-01 00:00:00', 9) + toIntervalSecond(number * {step:UInt32}),
       lower(hex(toUInt128(number + 1))), lower(hex(toUInt64(number + 1))), 'llm', 'Internal', 'bench', 'LLM', 1,
       concat('s', toString(intDiv(number, 2))),
       concat('[{"role":"user","content":"question ', toString(intDiv(number, 2)), ' about topic ', toString(number % 97), '"}]'),
       concat('answer ', toString(number), ' ', repeat('lorem ipsum ', 16)),
       lower(hex(cityHash64(intDiv(number, 2)))), lower(hex(cityHash64(intDiv(number, 2))))
     FROM numbers({n:UInt64})`,
    { n: spans, step },
  );
  await store.command(
    `INSERT INTO feedback (Timestamp, FeedbackId, TraceId, SpanId, SessionId, Name, Score, Label, Explanation,
       AnnotatorKind, AnnotatorId, Identifier, Origin, Metadata)
     SELECT toDateTime64('2024-02-01 00:00:00', 9), toString(number), lower(hex(toUInt128(number + 1))),
       lower(hex(toUInt64(number + 1))), '', 'user_feedback', if(number % 2 = 0, 1, 0), '', '', 'HUMAN', '', '', 'api', '{}'
     FROM numbers({n:UInt64})`,
    { n: spans },
  );
  await store.command(
    `INSERT INTO evaluations (Timestamp, TraceId, SpanId, Name, Score, Label, Explanation, AnnotatorKind, Identifier,
       RubricVersion, Origin, Metadata)
     SELECT toDateTime64('2024-02-01 00:00:00', 9), lower(hex(toUInt128(number + 1))), lower(hex(toUInt64(number + 1))),
       'quality', if((number % 2 = 0) != (intDiv(number, 2) % 10 = 0), 0.9, 0.2) + (number % 7) / 100, '', '', 'CODE',
       'quality@1', '1', 'prefloop', '{}'
     FROM numbers({n:UInt64})`,
    { n: spans },
  );
  // 200 clusters found over 10 runs, each with an exemplar among the failing answers and a fix to review.
  await store.command(
    `INSERT INTO clusters (ClusterId, Name, Terms, FailingRubrics, ExemplarTraceId, ExemplarSpanId, Model, Centroid,
       Size, FirstSeen, LastSeen, Diagnosis, ImmediateFix)
     SELECT concat('c', toString(number)), concat('failure mode ', toString(number)), ['a', 'b'], ['quality'],
       lower(hex(toUInt128(number * 2 + 2))), lower(hex(toUInt64(number * 2 + 2))), 'lexical-v1', [],
       100 + number, toDateTime64('2024-01-01 00:00:00', 3), toDateTime64('2024-01-30 00:00:00', 3),
       'what goes wrong', 'a better answer'
     FROM numbers(200)`,
  );
  await store.command(
    `INSERT INTO cluster_runs (RunId, RanAt, WindowStart, WindowEnd, ClusterId, Size)
     SELECT concat('r', toString(intDiv(number, 200))), toDateTime64('2024-01-01 00:00:00', 3) + toIntervalDay(intDiv(number, 200)),
       toDateTime64('2024-01-01 00:00:00', 9), toDateTime64('2024-01-31 00:00:00', 9),
       concat('c', toString(number % 200)), 50 + (number % 200) + intDiv(number, 200) * 5
     FROM numbers(2000)`,
  );
  await store.command(
    `INSERT INTO cluster_fixes (ClusterId, ExemplarSpanId, FixResponse, FixedBy, Status)
     SELECT concat('c', toString(number)), lower(hex(toUInt64(number * 2 + 2))), 'a better answer', 'judge:bench',
       if(number % 2 = 0, 'passed', 'failed')
     FROM numbers(200)`,
  );
}

async function run(spans: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-bench-ui-'));
  const store = new ChdbStore(dir, 'prefloop');
  try {
    const t0 = performance.now();
    await fill(store, spans);
    const fillSeconds = (performance.now() - t0) / 1000;
    // The pairs snapshot the overview reads (taken by serve when the store changed; in the background on a
    // store this big, so no page waits for it).
    const snapshots = new PairSnapshots(store);
    const t1 = performance.now();
    await snapshots.refresh();
    const refreshSeconds = (performance.now() - t1) / 1000;
    process.stderr.write(`bench/ui: pairs snapshot ${refreshSeconds.toFixed(1)} s\n`);
    const snapshot = await snapshots.current();
    const parts: [page: string, part: string, render: () => Promise<unknown>][] = [
      [
        'overview',
        'pairs charts (counts by day/source/band, margins, contradictions)',
        async () => pairsCharts(store, await snapshots.current()),
      ],
      [
        'overview',
        'pairs table, first page',
        async () => pairsTable(store, await snapshots.current(), pairsQuery(new URLSearchParams())),
      ],
      ['overview', 'clusters', () => clustersSection(store)],
      ['overview', 'rubrics (agreement, score distribution, judges)', () => rubricsSection(store)],
      ['overview', 'gates', () => gatesSection(store)],
      [
        'pairs search',
        'pairs table, search "topic 42"',
        async () =>
          pairsTable(store, await snapshots.current(), pairsQuery(new URLSearchParams({ q: 'topic 42' }))),
      ],
      [
        'pairs search',
        'pairs table, page at offset 10,000',
        async () =>
          pairsTable(store, await snapshots.current(), pairsQuery(new URLSearchParams({ offset: '10000' }))),
      ],
      ['reviewer', 'fixes awaiting approval', () => fixesSection(store)],
    ];
    const rows: { page: string; part: string; first: number; second: number }[] = [];
    for (const [page, part, render] of parts) {
      // Twice: the first run pays for reading the columns from disk, the second is what a reload costs.
      const a = performance.now();
      await render();
      const b = performance.now();
      await render();
      const c = performance.now();
      rows.push({ page, part, first: (b - a) / 1000, second: (c - b) / 1000 });
      process.stderr.write(
        `bench/ui: ${part} ${((b - a) / 1000).toFixed(2)} s, again ${((c - b) / 1000).toFixed(2)} s\n`,
      );
    }
    const pages = [...new Set(rows.map((r) => r.page))].map((page) => {
      const mine = rows.filter((r) => r.page === page);
      return {
        page,
        first: mine.reduce((t, r) => t + r.first, 0),
        second: mine.reduce((t, r) => t + r.second, 0),
      };
    });
    return [
      `## Web UI benchmark (${spans.toLocaleString('en')} stored LLM spans)`,
      '',
      `Synthetic store: ${spans.toLocaleString('en')} LLM spans over 30 days (two answers per prompt, a thumb on every span,`,
      'a rubric score on every span), 200 failure clusters over 10 runs with a fix each. Each part of a page',
      "rendered as serve answers it (same functions, same SQL, the snapshot's freshness check included), embedded",
      'chDB, twice: first (columns read from',
      `disk) and again. Store filled in ${fillSeconds.toFixed(1)} s. The pair parts read the pairs snapshot`,
      `(ui_pairs: ${snapshot.pairs.toLocaleString('en')} pairs, ${snapshot.contradictions.toLocaleString('en')} contradictions), taken in ${refreshSeconds.toFixed(1)} s — in the`,
      'background by serve when the store has changed (a page waits for it only while it takes under 2 s).',
      '',
      '| page | part | first (s) | again (s) |',
      '| --- | --- | ---: | ---: |',
      ...rows.map((r) => `| ${r.page} | ${r.part} | ${r.first.toFixed(2)} | ${r.second.toFixed(2)} |`),
      '',
      ...pages.map(
        (p) =>
          `- ${p.page}: ${p.first.toFixed(2)} s first, ${p.second.toFixed(2)} s again (its parts one after the other)`,
      ),
      `- node ${process.version}, ${process.platform}/${process.arch}`,
      '',
    ].join('\n');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

if (process.argv[1] === self) {
  const spans = Number(process.argv[2] ?? 1_000_000);
  process.stdout.write(await run(spans));
}
