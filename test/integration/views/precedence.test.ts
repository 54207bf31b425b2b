// Which signal wins: for every two sources that disagree about the same two answers, the higher one's
// pair is kept and the lower one's is left out, counted and explained in pair_contradictions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PAIR_SOURCES } from '../../../src/names.js';
import type { PairSource } from '../../../src/names.js';
import type { DecodedSpan } from '../../../src/records/types.js';
import type { Store } from '../../../src/sink/Store.js';
import { writeRubricPairConfig } from '../../../src/views/rubricPairConfig.js';
import {
  annotate,
  ask,
  at,
  hashOf,
  insertScores,
  insertSpans,
  llmSpan,
  pairsOf,
  tempStore,
} from '../../helpers/traces.js';

let store: Store;
let cleanup: () => Promise<void>;
before(async () => {
  ({ store, cleanup } = await tempStore('views-precedence'));
  await writeRubricPairConfig(store, [
    { rubricId: 'q', rubricVersion: '1', noiseFloor: 0.1, higherIsBetter: true, weight: 1 },
  ]);
});
after(async () => {
  await cleanup();
});

interface Contradiction {
  resolution: string;
  kept_source: string;
  left_out_sources: string[];
  evidence: string;
}

function contradictionsOf(span: DecodedSpan): Promise<Contradiction[]> {
  return store.query<Contradiction>(
    'SELECT resolution, kept_source, left_out_sources, evidence FROM pair_contradictions WHERE any_prompt_hash = {h:String}',
    { h: hashOf(span) },
  );
}

/** Two answers to one prompt, `hi` preferring `a`, `lo` preferring `b`; each in its own session. */
async function disagree(hi: PairSource, lo: PairSource): Promise<[DecodedSpan, DecodedSpan]> {
  const prompt = ask(`which is better, ${hi} or ${lo}?`);
  let a = llmSpan({ prompt, response: `${hi} answer`, sessionId: `${hi}-${lo}-a`, time: 1 });
  let b = llmSpan({ prompt, response: `${lo} answer`, sessionId: `${hi}-${lo}-b`, time: 2 });
  const prefers = async (source: PairSource, win: DecodedSpan, lose: DecodedSpan): Promise<void> => {
    switch (source) {
      case 'feedback':
        return;
      case 'session':
        return;
      case 'judge':
        await store.insert('judge_verdicts', [
          {
            Timestamp: at(300).toString(),
            RubricId: 'pairwise',
            RubricVersion: '1',
            PromptHash: hashOf(win),
            TraceIdA: win.traceId,
            SpanIdA: win.spanId,
            TraceIdB: lose.traceId,
            SpanIdB: lose.spanId,
            Winner: 'A',
            Confidence: 0.75,
            Flipped: 0,
            Explanation: '',
            JudgeModel: 'judge-1',
          },
        ]);
        return;
      case 'rubric':
        await insertScores(store, [
          { span: win, rubricId: 'q', score: 0.9 },
          { span: lose, rubricId: 'q', score: 0.2 },
        ]);
        return;
      case 'cluster':
        await store.insert('cluster_members', [
          {
            ClusterId: `c-${hi}-${lo}`,
            ClusterLabel: 'x',
            TraceId: lose.traceId,
            SpanId: lose.spanId,
            IsExemplar: 1,
          },
        ]);
        await store.insert('cluster_fixes', [
          { ClusterId: `c-${hi}-${lo}`, ExemplarSpanId: lose.spanId, FixSpanId: win.spanId },
        ]);
    }
  };
  // Feedback and session outcomes ride on the spans themselves.
  for (const [source, win] of [
    [hi, 'a'],
    [lo, 'b'],
  ] as const) {
    if (source === 'feedback') {
      if (win === 'a') [a, b] = [annotate(a, { up: true }), annotate(b, { up: false })];
      else [a, b] = [annotate(a, { up: false }), annotate(b, { up: true })];
    }
    if (source === 'session') {
      const outcome = (won: boolean) => ({ 'session.outcome': won ? 'resolved' : 'unresolved' });
      a = { ...a, attributes: { ...a.attributes, ...outcome(win === 'a') } };
      b = { ...b, attributes: { ...b.attributes, ...outcome(win === 'b') } };
    }
  }
  await insertSpans(store, [a, b]);
  await prefers(hi, a, b);
  await prefers(lo, b, a);
  return [a, b];
}

for (let i = 0; i < PAIR_SOURCES.length; i++) {
  for (let j = i + 1; j < PAIR_SOURCES.length; j++) {
    const hi = PAIR_SOURCES[i]!;
    const lo = PAIR_SOURCES[j]!;
    test(`${hi} outranks ${lo}: ${hi}'s pair is kept, ${lo}'s left out and named`, async () => {
      const [a] = await disagree(hi, lo);
      const pairs = await pairsOf(store, a);
      assert.deepEqual(
        pairs.map((p) => [p.source, p.sources, p.chosen, p.rejected]),
        [[hi, [hi], `${hi} answer`, `${lo} answer`]],
      );
      const contra = await contradictionsOf(a);
      assert.equal(contra.length, 1);
      assert.deepEqual(
        [contra[0]!.resolution, contra[0]!.kept_source, contra[0]!.left_out_sources],
        ['overridden', hi, [lo]],
      );
      const evidence = JSON.parse(contra[0]!.evidence) as Array<{ source: string; kept: boolean }>;
      assert.deepEqual(
        evidence.map((e) => [e.source, e.kept]),
        [
          [hi, true],
          [lo, false],
        ],
      );
    });
  }
}

test('the evidence names thumb counts, score gaps and judge confidence', async () => {
  const [a] = await disagree('feedback', 'rubric');
  const [c] = await disagree('judge', 'rubric');
  const ev = async (s: DecodedSpan) =>
    Object.fromEntries(
      (
        JSON.parse((await contradictionsOf(s))[0]!.evidence) as Array<{ source: string; metadata: object }>
      ).map((e) => [e.source, e.metadata]),
    ) as Record<string, Record<string, unknown>>;
  const first = await ev(a);
  assert.equal(first.feedback!.chosen_ups, 1);
  assert.equal(first.feedback!.rejected_downs, 1);
  assert.ok(Math.abs((first.rubric!.chosen_score as number) - 0.9) < 1e-9);
  assert.equal((await ev(c)).judge!.judge_confidence, 0.75);
});

test('human thumbs disagreeing with each other decide nothing: both left out, unresolved', async () => {
  const prompt = ask('two crowds?');
  const spans = [
    annotate(llmSpan({ prompt, response: 'A', time: 1 }), { up: true }),
    annotate(llmSpan({ prompt, response: 'B', time: 2 }), { up: false }),
    annotate(llmSpan({ prompt, response: 'A', time: 3 }), { up: false }),
    annotate(llmSpan({ prompt, response: 'B', time: 4 }), { up: true }),
  ];
  await insertSpans(store, spans);
  assert.deepEqual(await pairsOf(store, spans[0]!), []);
  const contra = await contradictionsOf(spans[0]!);
  assert.deepEqual(
    contra.map((c) => [c.resolution, c.kept_source, c.left_out_sources]),
    [['unresolved', '', ['feedback']]],
  );
});
