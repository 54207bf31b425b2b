// Benchmark section: where prefloop's own CPU goes per span, stage by stage, in one process with no engine
// running (decode → normalise → feedback → rubrics → row encoding → batch assembly), on spans like the end
// to end run's. bench/run.ts runs benchSection() in a child (bench/child.ts stages) with serve's V8 flags;
// the end-to-end main-thread figure minus this sum is what the server adds around the stages.
import { DEFAULTS } from '../src/names.js';
import { extractFeedback } from '../src/normalize/extractFeedback.js';
import { normalizeSpan } from '../src/normalize/normalizeSpan.js';
import type { SpanRecord } from '../src/records/types.js';
import { decodeProtobuf } from '../src/receive/decodeProtobuf.js';
import { addEvaluationAttributes } from '../src/records/evaluationAttributes.js';
import { loadRubricFile } from '../src/score/RubricFile.js';
import { Scorer } from '../src/score/Scorer.js';
import { batchLength, combineRequests, encodeRequest, freshToken } from '../src/sink/batches.js';
import type { EncodedRequest } from '../src/sink/batches.js';
import { encodeBodies, loadConversations } from './llmSpans.js';

const STAGES = ['decode', 'normalise', 'feedback', 'rubrics', 'encode rows', 'assemble batches'] as const;
type Stage = (typeof STAGES)[number];

const WHAT: Record<Stage, string> = {
  decode: '`decodeProtobuf`: OTLP protobuf request → spans',
  normalise: '`normalizeSpan`: OpenInference attributes → prompt, response, ids, prompt hash',
  feedback: '`extractFeedback`: upstream annotations on the span (none here)',
  rubrics: '`Scorer.scoreSync` with the default rubric file, then `addEvaluationAttributes`',
  'encode rows': '`encodeRequest`: each span straight into its JSONCompactEachRow line (UTF-8)',
  'assemble batches': "`batchLength` + `combineRequests`: requests into the sink's batches",
};

/** CPU µs of this process so far (no engine runs here, so it is prefloop's work and its GC). */
function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** One pass over `bodies`, request by request as the receiver hands them on, each stage timed on its own. */
function pass(bodies: readonly Uint8Array[], scorer: Scorer, spent: Record<Stage, number>): number {
  let spans = 0;
  let queued: EncodedRequest[] = [];
  const assemble = (): void => {
    while (queued.length > 0) {
      const n = batchLength(queued, DEFAULTS.batchRows, DEFAULTS.batchBytes);
      combineRequests(queued.slice(0, n), freshToken);
      queued = queued.slice(n);
    }
  };
  for (const body of bodies) {
    let t = cpuMicros();
    const lap = (stage: Stage): void => {
      const now = cpuMicros();
      spent[stage] += now - t;
      t = now;
    };
    const decoded = decodeProtobuf(body as Buffer).spans;
    lap('decode');
    const records: SpanRecord[] = decoded.map((s) => normalizeSpan(s));
    lap('normalise');
    for (const s of decoded) extractFeedback(s);
    lap('feedback');
    for (const r of records) addEvaluationAttributes(r, scorer.scoreSync(r), scorer.set.hash);
    lap('rubrics');
    queued.push(encodeRequest({ spans: records, feedback: [], evaluations: [] }));
    lap('encode rows');
    if (queued.reduce((n, e) => n + e.rows, 0) >= DEFAULTS.batchRows) assemble();
    lap('assemble batches');
    spans += records.length;
  }
  const t = cpuMicros();
  assemble();
  spent['assemble batches'] += cpuMicros() - t;
  return spans;
}

export async function benchSection({ quick = false }: { quick?: boolean } = {}): Promise<string> {
  const perRound = quick ? 5_000 : 20_000;
  const rounds = quick ? 1 : 3;
  const { conversations } = loadConversations();
  // Fresh spans for every round (and the warm-up): no text recurs, so nothing remembered by text helps.
  const { bodies } = encodeBodies(conversations, perRound * (rounds + 1), 512, 7);
  const perRoundBodies = Math.ceil(perRound / 512);
  const scorer = new Scorer(loadRubricFile(DEFAULTS.rubricFile), { skipJudges: true });
  const discard = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  pass(bodies.slice(0, perRoundBodies), scorer, discard); // warm-up: JIT tiers and caches settle
  const spent = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  const spans = pass(bodies.slice(perRoundBodies), scorer, spent);
  const total = STAGES.reduce((n, s) => n + spent[s], 0);
  const us = (s: number): string => (s / spans).toFixed(1);
  const rate = (s: number): string => Math.round((spans * 1e6) / s).toLocaleString('en-US');
  const lines = [
    '## Where the CPU goes, stage by stage',
    '',
    `${spans.toLocaleString('en-US')} spans like the end-to-end run's (after a warm-up pass over as many others; ` +
      'none repeats another), 512 per request, in its own process with no engine running and the V8 flags ' +
      '`npm start` passes: CPU time of the ' +
      'process around each stage (its garbage collection included). The sum is prefloop’s core work ' +
      'without HTTP, the queue, inserts or the spool; the end-to-end main-thread figure above also holds those.',
    '',
    '| Stage | What | µs per span | Share | Spans per CPU-s if it ran alone |',
    '|---|---|---:|---:|---:|',
    ...STAGES.map(
      (s) =>
        `| ${s} | ${WHAT[s]} | ${us(spent[s])} | ${((100 * spent[s]) / total).toFixed(0)}% | ${rate(spent[s])} |`,
    ),
    `| **all stages** | | **${us(total)}** | 100% | **${rate(total)}** |`,
    '',
  ];
  return lines.join('\n');
}
