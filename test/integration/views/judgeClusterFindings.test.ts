// The maintained pairs' per-unit judge and cluster rules (src/views/maintain/judge_findings.sql,
// cluster_findings.sql) give exactly what pair_keys_judge and pair_keys_cluster give for the same prompt
// hashes, for all of them at once and for each alone. Judge: either winner, a flipped verdict, a tie, a
// re-judged pair (latest counts), a verdict across two prompts, a synthetic one, a calibrated judge version,
// a verdict naming a span not stored. Cluster: a hand-written fix, a fix span, a fix replaced by a newer one, and by a failed one,
// a fix on a span outside its cluster, a fix span not stored, a renamed cluster.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../../src/sink/Store.js';
import { clusterFindings, judgeFindings } from '../../../src/views/maintain/findings.js';
import type { Finding } from '../../../src/views/maintain/findings.js';
import { ask, hexId, insertSpans, llmSpan, tempStore } from '../../helpers/traces.js';

let store: Store;
let cleanup: () => Promise<void>;
before(async () => {
  ({ store, cleanup } = await tempStore('views-judge-cluster-findings'));
  const s = (prompt: string, response: string, time = 1) => llmSpan({ prompt: ask(prompt), response, time });
  const [a, b, c, d, x] = [s('j1', 'A'), s('j1', 'B'), s('j1', 'C'), s('j2', 'D'), s('j3', 'X')];
  await insertSpans(store, [a!, b!, c!, d!, x!]);
  const verdict = (
    A: string,
    B: string,
    winner: string,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> => ({
    RubricId: 'help',
    RubricVersion: '1',
    SpanIdA: A,
    SpanIdB: B,
    Winner: winner,
    Confidence: 0.7,
    Flipped: 0,
    JudgeModel: 'm',
    ...extra,
  });
  await store.insert('judge_verdicts', [
    verdict(a!.spanId, b!.spanId, 'a'),
    verdict(b!.spanId, c!.spanId, 'B'),
    verdict(a!.spanId, c!.spanId, 'a', { Flipped: 1 }),
    verdict(c!.spanId, a!.spanId, 'tie'),
    verdict(a!.spanId, d!.spanId, 'b'),
    verdict(x!.spanId, a!.spanId, 'a', { Synthetic: 1, RubricId: 'synth' }),
    verdict(x!.spanId, hexId(8), 'a'),
    verdict(b!.spanId, a!.spanId, 'a', { JudgeModel: 'calibrated-model', RubricVersion: '2' }),
  ]);
  // Re-judged later: the latest verdict counts.
  await store.insert('judge_verdicts', [verdict(a!.spanId, b!.spanId, 'b', { Confidence: 0.9 })]);
  await store.insert('judge_calibrations', [
    {
      judge_version: 'help@2/calibrated-model',
      rubric_id: 'help',
      rubric_version: '2',
      judge_model: 'calibrated-model',
      measured_at: '2026-01-01 00:00:00',
      items: 50,
      kappa: 0.8,
      human_baseline_kappa: 0.7,
      floor: 0.6,
      status: 'calibrated',
    },
  ]);

  const [e1, e2, e3, e4, fix] = [
    s('k1', 'bad 1'),
    s('k1', 'bad 2'),
    s('k2', 'bad 3'),
    s('k3', 'bad 4'),
    s('k9', 'fixed'),
  ];
  await insertSpans(store, [e1!, e2!, e3!, e4!, fix!]);
  await store.insert(
    'cluster_members',
    [e1, e2, e3].map((m) => ({
      ClusterId: 'cl',
      ClusterLabel: 'oops',
      TraceId: m!.traceId,
      SpanId: m!.spanId,
    })),
  );
  await store.insert('clusters', [{ ClusterId: 'cl', Name: 'first name' }]);
  await store.insert('clusters', [{ ClusterId: 'cl', Name: 'renamed', Diagnosis: 'why' }]);
  await store.insert('cluster_fixes', [
    { ClusterId: 'cl', ExemplarSpanId: e1!.spanId, FixResponse: 'written fix', FixedBy: 'ana' },
    { ClusterId: 'cl', ExemplarSpanId: e2!.spanId, FixSpanId: fix!.spanId, Status: 'passed' },
    { ClusterId: 'cl', ExemplarSpanId: e3!.spanId, FixResponse: 'first fix', Status: 'approved' },
    { ClusterId: 'cl', ExemplarSpanId: e4!.spanId, FixResponse: 'not a member' },
    { ClusterId: 'other', ExemplarSpanId: e1!.spanId, FixSpanId: hexId(8) },
  ]);
  // Replaced: e1's by a newer approved fix, e3's by a newer one that failed its rescoring (no pair).
  await store.insert('cluster_fixes', [
    { ClusterId: 'cl', ExemplarSpanId: e1!.spanId, FixResponse: 'written fix, v2', FixedBy: 'ana' },
    { ClusterId: 'cl', ExemplarSpanId: e3!.spanId, FixResponse: 'second fix', Status: 'failed' },
  ]);
});
after(async () => {
  await cleanup();
});

const canonical = (rows: object[]): string[] => rows.map((r) => JSON.stringify(r)).sort();

async function allHashes(): Promise<string[]> {
  return (await store.query<{ h: string }>('SELECT DISTINCT PromptHash AS h FROM llm_span_index')).map(
    (r) => r.h,
  );
}

for (const [source, perUnit, least] of [
  ['judge', judgeFindings, 4],
  ['cluster', clusterFindings, 2],
] as const) {
  const live = (hashes: string[]): Promise<object[]> =>
    store.query(`SELECT * FROM pair_keys_${source} WHERE prompt_hash IN {h:Array(String)}`, { h: hashes });
  test(`${source}: all prompts at once and each alone give pair_keys_${source}'s rows`, async () => {
    const hashes = await allHashes();
    const expected = await live(hashes);
    assert.ok(expected.length >= least, `the fixture should give ${source} pairs, got ${expected.length}`);
    assert.deepEqual(canonical(await perUnit(store, hashes)), canonical(expected));
    for (const h of hashes) {
      const rows: Finding[] = await perUnit(store, [h]);
      assert.deepEqual(canonical(rows), canonical(await live([h])), `prompt ${h}`);
    }
    assert.deepEqual(await perUnit(store, []), []);
  });
}
