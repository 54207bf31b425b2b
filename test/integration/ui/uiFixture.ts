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
  return {
    hostile: { chosen: spans[0]!.spanId, rejected: spans[1]!.spanId },
    clusterId,
    exemplarSpanId: exemplar.spanId,
  };
}
