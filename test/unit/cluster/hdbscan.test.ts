// HDBSCAN against cases with a known answer: blobs with noise, scikit-learn's own fixtures (the same
// recipe on our seeded PRNG), chains, varying densities, duplicates, and too few points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { adjustedRandIndex } from '../../../src/cluster/adjustedRandIndex.js';
import { hdbscan } from '../../../src/cluster/hdbscan.js';
import { pointsFromRows } from '../../../src/cluster/Points.js';
import { makeBlobs, standardScale, uniformNoise } from '../../helpers/blobs.js';
import { prng } from '../../helpers/prng.js';

/** scikit-learn's test data, drawn by numpy exactly as make_blobs does (see each file's `source`). */
function fixture(name: string): { rows: number[][]; truth: number[] } {
  return JSON.parse(
    readFileSync(new URL(`../../fixtures/cluster/${name}.json`, import.meta.url), 'utf8'),
  ) as {
    rows: number[][];
    truth: number[];
  };
}

const clustersOf = (labels: Int32Array): number => new Set([...labels].filter((l) => l !== -1)).size;

test('Gaussian blobs with uniform noise: ARI ≥ 0.95 on the blob points, noise mostly −1', () => {
  const centres = [
    [-6, -6],
    [6, -6],
    [-6, 6],
    [6, 6],
  ];
  const rows: number[][] = [];
  const truth: number[] = [];
  centres.forEach((c, k) => {
    const blob = makeBlobs({ n: 60, centers: 1, std: 1, box: [0, 0], seed: 30 + k }).rows;
    for (const r of blob) {
      rows.push([r[0]! + c[0]!, r[1]! + c[1]!]);
      truth.push(k);
    }
  });
  const noise = uniformNoise(40, 2, -20, 20, 4);
  const result = hdbscan(pointsFromRows([...rows, ...noise]), { minClusterSize: 10 });
  const blobLabels = result.labels.subarray(0, rows.length);
  const ari = adjustedRandIndex(blobLabels, truth);
  assert.ok(ari >= 0.95, `ARI ${ari}`);
  const noiseAsNoise = [...result.labels.subarray(rows.length)].filter((l) => l === -1).length;
  assert.ok(
    noiseAsNoise >= 0.6 * noise.length,
    `${noiseAsNoise} of ${noise.length} noise points labelled −1`,
  );
  // Noise points are more outlying than blob points on average.
  const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(
    mean(result.outlierScores.subarray(rows.length)) > mean(result.outlierScores.subarray(0, rows.length)),
  );
});

test("scikit-learn's fixture: 200 blob points in 3 centres (make_blobs, random_state 10), scaled → 3 clusters", () => {
  const { rows, truth } = fixture('blobs200');
  const result = hdbscan(pointsFromRows(rows));
  assert.equal(result.clusterCount, 3);
  assert.ok(adjustedRandIndex(result.labels, truth) > 0.95);
});

test("scikit-learn's high-dimensional fixture: 50 points in 64 dimensions, 3 centres → 3 clusters", () => {
  const { rows, truth } = fixture('blobs50x64');
  const result = hdbscan(pointsFromRows(rows));
  assert.equal(result.clusterCount, 3);
  assert.equal(adjustedRandIndex(result.labels, truth), 1);
});

test('the same recipe on our own PRNG, 64 dimensions: 3 clusters for several seeds', () => {
  for (const seed of [0, 1, 2]) {
    const { rows } = makeBlobs({ n: 50, centers: 3, dim: 64, seed });
    assert.equal(hdbscan(pointsFromRows(standardScale(rows))).clusterCount, 3, `seed ${seed}`);
  }
});

test('chains: two parallel lines of evenly spaced points are two clusters, each whole', () => {
  const rows: number[][] = [];
  for (let i = 0; i < 30; i++) rows.push([i * 0.5, 0], [i * 0.5, 10]);
  const { labels } = hdbscan(pointsFromRows(rows));
  assert.equal(clustersOf(labels), 2);
  assert.ok(labels.every((l) => l !== -1));
  for (let i = 0; i < 60; i += 2) assert.notEqual(labels[i], labels[i + 1]);
});

test('varying densities: a tight and a loose blob both found (one fixed eps would lose one)', () => {
  const tight = makeBlobs({ n: 60, centers: 1, std: 0.1, box: [0, 0], seed: 5 }).rows;
  const loose = makeBlobs({ n: 60, centers: 1, std: 2, box: [20, 20], seed: 6 }).rows;
  const { labels } = hdbscan(pointsFromRows([...tight, ...loose]), { minClusterSize: 8 });
  const truth = [...tight.map(() => 0), ...loose.map(() => 1)];
  assert.equal(clustersOf(labels), 2);
  assert.ok(adjustedRandIndex(labels, truth) > 0.9);
});

test('duplicate points: three stacks of ten identical points are three clusters of strength 1', () => {
  const rows = [
    ...Array(10).fill([0, 0]),
    ...Array(10).fill([5, 5]),
    ...Array(10).fill([0, 9]),
  ] as number[][];
  const result = hdbscan(pointsFromRows(rows));
  assert.equal(result.clusterCount, 3);
  assert.equal(
    adjustedRandIndex(
      result.labels,
      [...rows.keys()].map((i) => Math.floor(i / 10)),
    ),
    1,
  );
  assert.ok(result.probabilities.every((p) => p === 1));
  assert.ok(result.outlierScores.every((s) => s === 0));
});

test('fewer points than min_cluster_size: all noise, no throw', () => {
  for (const n of [0, 1, 2, 4]) {
    const rows = Array.from({ length: n }, (_, i) => [i, i]);
    const result = hdbscan(pointsFromRows(rows));
    assert.equal(result.clusterCount, 0);
    assert.deepEqual([...result.labels], Array(n).fill(-1));
  }
});

test('one blob and allow_single_cluster false: never one cluster holding everything', () => {
  const { rows } = makeBlobs({ n: 80, centers: 1, seed: 9 });
  const { labels } = hdbscan(pointsFromRows(rows));
  assert.ok(!(labels.every((l) => l === 0) && clustersOf(labels) === 1));
});

test('probabilities and outlier scores lie in [0, 1]; noise has probability 0', () => {
  const random = prng(21);
  const rows = Array.from({ length: 120 }, () => [random() * 10, random() * 10]);
  const result = hdbscan(pointsFromRows(rows), { minClusterSize: 4 });
  result.labels.forEach((l, i) => {
    assert.ok(result.probabilities[i]! >= 0 && result.probabilities[i]! <= 1);
    assert.ok(result.outlierScores[i]! >= 0 && result.outlierScores[i]! <= 1);
    if (l === -1) assert.equal(result.probabilities[i], 0);
  });
});

test('options are checked, and vectors of mixed dimensions refused by name', () => {
  assert.throws(() => hdbscan(pointsFromRows([[0]]), { minClusterSize: 1 }), /minClusterSize/);
  assert.throws(() => hdbscan(pointsFromRows([[0]]), { minSamples: 0 }), /minSamples/);
  assert.throws(() => pointsFromRows([[0, 1], [0]]), /point 1 has 1 dimensions/);
});
