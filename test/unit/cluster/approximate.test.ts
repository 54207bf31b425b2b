// The approximate path for large inputs, forced on small ones: its kNN recall against brute force, and
// its clusters against the exact path's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adjustedRandIndex } from '../../../src/cluster/adjustedRandIndex.js';
import { approximateNeighbours } from '../../../src/cluster/approximateNeighbours.js';
import { hdbscan, KNN_MIN_SAMPLES_CAP } from '../../../src/cluster/hdbscan.js';
import { distance, pointsFromRows } from '../../../src/cluster/Points.js';
import { makeBlobs, uniformNoise } from '../../helpers/blobs.js';

test('random projection trees plus one neighbour-of-neighbour pass find ≥ 90% of the true 10 nearest', () => {
  const points = pointsFromRows(makeBlobs({ n: 800, centers: 8, dim: 16, std: 2, seed: 7 }).rows);
  const k = 10;
  const graph = approximateNeighbours(points, k);
  let found = 0;
  for (let i = 0; i < points.n; i++) {
    const truth = [...Array(points.n).keys()]
      .filter((j) => j !== i)
      .sort((a, b) => distance(points, i, a) - distance(points, i, b))
      .slice(0, k);
    const got = new Set(graph.index.subarray(i * k, i * k + k));
    found += truth.filter((j) => got.has(j)).length;
  }
  assert.ok(found / (points.n * k) >= 0.9, `recall ${found / (points.n * k)}`);
});

test('approximate and exact HDBSCAN agree on blobs with noise (ARI ≥ 0.95)', () => {
  const { rows } = makeBlobs({ n: 600, centers: 5, dim: 8, std: 1, seed: 12 });
  const points = pointsFromRows([...rows, ...uniformNoise(60, 8, -12, 12, 13)]);
  const exact = hdbscan(points, { minClusterSize: 10 });
  const approximate = hdbscan(points, { minClusterSize: 10, exactUpTo: 0 });
  assert.equal(approximate.clusterCount, exact.clusterCount);
  assert.ok(adjustedRandIndex(approximate.labels, exact.labels) >= 0.95);
});

test('the approximate path joins a kNN graph that falls apart: stacks of identical points', () => {
  const rows = Array.from({ length: 60 }, (_, i) => [Math.floor(i / 20) * 10, 0]);
  const result = hdbscan(pointsFromRows(rows), { exactUpTo: 0, neighbours: 5 });
  assert.equal(result.clusterCount, 3);
  assert.equal(
    adjustedRandIndex(
      result.labels,
      rows.map((r) => r[0]!),
    ),
    1,
  );
});

test('a large min_samples on the approximate path is capped for the kNN graph and still finds the blobs', () => {
  // min_samples 200 would mean a 200-neighbour graph (work ∝ k²); the cap keeps it at KNN_MIN_SAMPLES_CAP.
  const { rows, truth } = makeBlobs({ n: 3000, centers: 3, dim: 16, std: 1, seed: 21 });
  const points = pointsFromRows(rows);
  const graph = approximateNeighbours(points, Math.min(200, KNN_MIN_SAMPLES_CAP));
  assert.equal(graph.k, KNN_MIN_SAMPLES_CAP);
  const result = hdbscan(points, { minClusterSize: 100, minSamples: 200, exactUpTo: 0 });
  assert.equal(result.clusterCount, 3);
  assert.ok(adjustedRandIndex(result.labels, truth) >= 0.95);
});
