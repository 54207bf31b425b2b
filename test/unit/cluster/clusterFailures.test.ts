// The pure clustering of failing spans: names from class-based TF-IDF, exemplars, failing rubrics, and ids
// that survive a rerun through centroid and member matching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterFailures } from '../../../src/cluster/clusterFailures.js';
import type { FailingSpan } from '../../../src/cluster/clusterFailures.js';
import { clusterTerms } from '../../../src/cluster/clusterTerms.js';
import { fitIdf, LEXICAL_DIMENSIONS, lexicalEmbedding } from '../../../src/cluster/embed/lexicalEmbedder.js';
import { exemplarOf } from '../../../src/cluster/exemplar.js';
import { matchClusters } from '../../../src/cluster/matchClusters.js';
import { pointsFromRows } from '../../../src/cluster/Points.js';

function failing(): FailingSpan[] {
  const topics = ['refunds', 'billing', 'shipping', 'passwords', 'invoices', 'accounts', 'exports', 'plans'];
  return topics.flatMap((t, k) => [
    {
      traceId: `t${k}`,
      spanId: `r${k}`,
      text: `Sorry, I cannot help with ${t}; I must decline.`,
      failures: ['refusal'],
    },
    {
      traceId: `u${k}`,
      spanId: `h${k}`,
      text: `According to a Harvard study, ${t} cite journals.`,
      failures: ['groundedness'],
    },
  ]);
}

function embed(spans: readonly FailingSpan[]) {
  const idf = fitIdf(spans.map((s) => s.text));
  return pointsFromRows(spans.map((s) => lexicalEmbedding(s.text, idf)));
}

test('class-based TF-IDF picks each cluster its own words, not the shared ones', () => {
  const texts = ['refund denied sorry', 'refund denied again', 'harvard study sorry', 'harvard study cited'];
  const [a, b] = clusterTerms(texts, [0, 0, 1, 1], 2, 2);
  assert.ok(a!.some((t) => t.includes('refund') || t.includes('denied')));
  assert.ok(b!.some((t) => t.includes('harvard') || t.includes('study')));
  assert.ok(!a!.includes('sorry') && !b!.includes('sorry'));
});

test('the exemplar is a strongest member nearest the medoid', () => {
  const points = pointsFromRows([[0], [1], [2], [3], [10]]);
  assert.equal(exemplarOf(points, [0, 1, 2, 3, 4], [1, 1, 1, 1, 1]), 2);
  assert.equal(exemplarOf(points, [0, 1, 2, 3, 4], [1, 0.5, 0.5, 1, 1]), 3);
});

test('matching: each earlier cluster is claimed once, by the best new match', () => {
  const unit = (x: number, y: number) => Float32Array.from([x, y].map((v) => v / Math.hypot(x, y)));
  const earlier = [
    { centroid: unit(1, 0), members: new Set(['a', 'b']) },
    { centroid: unit(0, 1), members: new Set(['c']) },
  ];
  const next = [
    { centroid: unit(0.1, 1), members: new Set(['x']) },
    { centroid: unit(1, 0.05), members: new Set(['a']) },
    { centroid: unit(1, 0.1), members: new Set(['z']) },
    { centroid: unit(-1, -1), members: new Set(['q']) },
  ];
  assert.deepEqual(matchClusters(next, earlier), [1, 0, -1, -1]);
});

test('two failure modes → two named clusters with their rubric, and a rerun keeps both ids', () => {
  const spans = failing();
  const vectors = embed(spans);
  const first = clusterFailures(spans, vectors, [], { minClusterSize: 4, now: '2026-01-01T00:00:00.000Z' });
  assert.equal(first.length, 2);
  const refusal = first.find((c) => c.failingRubrics[0] === 'refusal')!;
  assert.ok(refusal.members.every((m) => m.span.failures.includes('refusal')));
  assert.match(refusal.name, /\[refusal\]$/);
  assert.ok(refusal.members.some((m) => m.span.spanId === refusal.exemplar.spanId));
  assert.ok(first.every((c) => c.isNew && c.firstSeen === '2026-01-01T00:00:00.000Z'));
  const earlier = first.map((c) => ({
    id: c.id,
    centroid: c.centroid,
    members: new Set(c.members.map((m) => m.span.spanId)),
    firstSeen: c.firstSeen,
  }));
  const again = clusterFailures(spans, vectors, earlier, {
    minClusterSize: 4,
    now: '2026-01-02T00:00:00.000Z',
  });
  assert.deepEqual(again.map((c) => c.id).sort(), first.map((c) => c.id).sort());
  assert.ok(again.every((c) => !c.isNew && c.firstSeen === '2026-01-01T00:00:00.000Z'));
  assert.equal(vectors.dim, LEXICAL_DIMENSIONS);
});
