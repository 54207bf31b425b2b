// A small store for the UI tests: feedback pairs (one with a hostile answer), a contradiction, rubric scores,
// a failure cluster over two runs with a judged fix awaiting review, all inserted through the real row mappers.
import { TABLES } from '../../../src/names.js';
import type { Store } from '../../../src/sink/Store.js';
import { annotate, ask, insertScores, insertSpans, llmSpan } from '../../helpers/traces.js';

/** Text that must show as text: a script tag and an image whose error handler would run. */
export const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

export interface Seeded {
  /** The span ids of the hostile pair's two answers. */
  hostile: { chosen: string; rejected: string };
  clusterId: string;
  exemplarSpanId: string;
}

export async function seedStore(store: Store): Promise<Seeded> {
  const spans = [];
  for (let i = 0; i < 6; i++) {
    const prompt = ask(i === 0 ? `Show me ${HOSTILE}` : `How do I sort a list in language ${i}?`);
    const good = llmSpan({
      prompt,
      response:
        i === 0
          ? `Here it is: ${HOSTILE}`
          : `Use sorted():\n\`\`\`python\nprint(sorted([3, 1, 2]))\n\`\`\`\nDone ${i}.`,
      time: i * 3600 * 20,
    });
    const bad = llmSpan({ prompt, response: `I cannot help with that (${i}).`, time: i * 3600 * 20 + 1 });
    spans.push(annotate(good, { up: true }), annotate(bad, { up: false }));
  }
  await insertSpans(store, spans);
  await insertScores(
    store,
    spans.map((s, i) => ({
      span: s,
      rubricId: 'helpfulness',
      score: i % 2 === 0 ? 0.9 : 0.1 + (i % 5) / 10,
    })),
  );
  // A cluster found by two runs (4, then 6 answers) whose judged fix passed re-scoring and awaits a person.
  const exemplar = spans[1]!;
  const clusterId = 'cl-refusals';
  await store.insert(TABLES.clusters, [
    {
      ClusterId: clusterId,
      Name: 'Needless refusals',
      Terms: ['cannot', 'help'],
      FailingRubrics: ['helpfulness'],
      ExemplarTraceId: exemplar.traceId,
      ExemplarSpanId: exemplar.spanId,
      Model: 'lexical-v1',
      Centroid: [],
      Size: 6,
      FirstSeen: '2024-01-01 00:00:00.000',
      LastSeen: '2024-01-05 00:00:00.000',
      Diagnosis: 'The assistant refuses harmless coding questions.',
      ImmediateFix: 'Use sorted(list).',
    },
  ]);
  await store.insert(TABLES.clusterRuns, [
    {
      RunId: 'r1',
      RanAt: '2024-01-02 00:00:00.000',
      WindowStart: '2024-01-01 00:00:00',
      WindowEnd: '2024-01-02 00:00:00',
      ClusterId: clusterId,
      Size: 4,
    },
    {
      RunId: 'r2',
      RanAt: '2024-01-05 00:00:00.000',
      WindowStart: '2024-01-01 00:00:00',
      WindowEnd: '2024-01-05 00:00:00',
      ClusterId: clusterId,
      Size: 6,
    },
  ]);
  await store.insert(TABLES.clusterFixes, [
    {
      ClusterId: clusterId,
      ExemplarSpanId: exemplar.spanId,
      FixResponse: 'Use sorted(list): it returns a new sorted list.',
      FixedBy: 'judge:fixer',
      Status: 'passed',
      Timestamp: '2024-01-05 00:00:01.000',
    },
  ]);
  await seedMeasurements(store);
  return {
    hostile: { chosen: spans[0]!.spanId, rejected: spans[1]!.spanId },
    clusterId,
    exemplarSpanId: exemplar.spanId,
  };
}

/** Rubric agreement, a gate run and (when migration 0241 made the tables) a judge's calibration and drift. */
async function seedMeasurements(store: Store): Promise<void> {
  await store.insert('rubric_agreement', [
    {
      MeasuredAt: '2024-01-06 00:00:00.000',
      RubricId: 'helpfulness',
      RubricVersion: '1',
      HumanPairs: 6,
      Scored: 6,
      Separated: 5,
      Agreed: 5,
      Agreement: 1,
      Lower: 0.57,
      Upper: 1,
      Floor: 0.5,
      Status: 'agrees',
    },
  ]);
  const report = {
    verdict: 'hold',
    reasons: ['toxicity regressed beyond its tolerance'],
    rubrics: [
      { id: 'helpfulness', delta: 0.08, ci: [0.02, 0.14], improvement: 0.08 },
      { id: 'toxicity', delta: 0.05, ci: [0.01, 0.09], improvement: -0.05 },
    ],
  };
  await store.insert('gate_runs', [
    {
      RunId: 'gate-1',
      Mode: 'offline',
      StartedAt: '2024-01-07 10:00:00.000',
      FinishedAt: '2024-01-07 10:05:00.000',
      Verdict: 'hold',
      BaselineModel: 'model-v1',
      CandidateModel: 'model-v2',
      JudgeVersion: '',
      Report: JSON.stringify(report),
    },
  ]);
  const tables = new Set(
    (
      await store.query<{ name: string }>(
        "SELECT name FROM system.tables WHERE database = currentDatabase() AND name IN ('judge_calibrations', 'judge_drift')",
      )
    ).map((r) => r.name),
  );
  if (tables.has('judge_calibrations'))
    await store.insert('judge_calibrations', [
      {
        judge_version: 'helpfulness_judge@1/gpt-judge',
        rubric_id: 'helpfulness_judge',
        rubric_version: '1',
        judge_model: 'gpt-judge',
        measured_at: '2024-01-06 00:00:00.000',
        items: 40,
        agreement: 0.82,
        kappa: 0.64,
        ci_low: 0.45,
        ci_high: 0.8,
        swap_consistency: 0.9,
        position_bias: 0.04,
        ties: 0.05,
        pointwise_items: 0,
        human_baseline_kappa: 0.7,
        floor: 0.4,
        status: 'calibrated',
      },
    ]);
  if (tables.has('judge_drift'))
    await store.insert('judge_drift', [
      {
        measured_at: '2024-01-07 00:00:00.000',
        rubric_id: 'helpfulness_judge',
        judge_version: 'helpfulness_judge@1/gpt-judge',
        window_items: 30,
        judge_agreement: 0.61,
        baseline_agreement: 0.8,
        margin: 0.1,
        alarm: 1,
      },
    ]);
}
