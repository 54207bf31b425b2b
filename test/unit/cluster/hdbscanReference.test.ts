// HDBSCAN's steps checked against brute-force definitions on small random inputs: Kruskal over every pair
// for the MST; a top-down split of the full mutual-reachability graph for the condensed tree; every
// antichain of the cluster tree for excess-of-mass. Random reals, so no two distances tie.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { condenseTree, stabilities } from '../../../src/cluster/condensedTree.js';
import type { CondensedTree } from '../../../src/cluster/condensedTree.js';
import { coreDistances } from '../../../src/cluster/coreDistances.js';
import { mutualReachabilityTree } from '../../../src/cluster/minimumSpanningTree.js';
import { distance, pointsFromRows } from '../../../src/cluster/Points.js';
import type { Points } from '../../../src/cluster/Points.js';
import { selectClusters } from '../../../src/cluster/selectClusters.js';
import { singleLinkage } from '../../../src/cluster/singleLinkage.js';
import { prng } from '../../helpers/prng.js';

/** Mutual reachability of every pair, core distances by sorting each whole row. */
function mutualReachability(points: Points, minSamples: number): number[][] {
  const d = Array.from({ length: points.n }, (_, i) =>
    Array.from({ length: points.n }, (_, j) => distance(points, i, j)),
  );
  const core = d.map((row) => [...row].sort((a, b) => a - b)[Math.min(minSamples, points.n) - 1]!);
  return d.map((row, i) => row.map((x, j) => (i === j ? 0 : Math.max(x, core[i]!, core[j]!))));
}

/** Kruskal on every pair: the MST's total weight and its edge weights in order. */
function kruskal(mr: number[][]): { total: number; weights: number[] } {
  const n = mr.length;
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
  pairs.sort((a, b) => mr[a[0]]![a[1]]! - mr[b[0]]![b[1]]!);
  const root = [...Array(n).keys()];
  const find = (x: number): number => (root[x] === x ? x : (root[x] = find(root[x]!)));
  let total = 0;
  const weights: number[] = [];
  for (const [i, j] of pairs) {
    if (find(i) === find(j)) continue;
    root[find(i)] = find(j);
    total += mr[i]![j]!;
    weights.push(mr[i]![j]!);
  }
  return { total, weights };
}

/** Components of `members` joined by edges lighter than `below`. */
function components(mr: number[][], members: number[], below: number): number[][] {
  const left = new Set(members);
  const out: number[][] = [];
  for (const start of members) {
    if (!left.has(start)) continue;
    left.delete(start);
    const comp = [start];
    for (let k = 0; k < comp.length; k++)
      for (const j of [...left]) {
        if (mr[comp[k]!]![j]! >= below) continue;
        left.delete(j);
        comp.push(j);
      }
    out.push(comp.sort((a, b) => a - b));
  }
  return out;
}

interface Row {
  parent: string;
  child: string;
  lambda: number;
  size: number;
}

/** The condensed tree by definition: lower the threshold until the cluster breaks, then split or shed. */
function referenceCondensed(mr: number[][], minClusterSize: number): Row[] {
  const rows: Row[] = [];
  const key = (members: number[]) => members.join(',');
  const split = (start: number[]): void => {
    let members = start;
    const label = key(start);
    for (;;) {
      // The breaking level: the heaviest edge that keeps the cluster connected, found by trying each weight.
      const weights = [...new Set(members.flatMap((i) => members.map((j) => mr[i]![j]!)))].sort(
        (a, b) => a - b,
      );
      const level = weights.find((w) => components(mr, members, w * (1 + 1e-12) + 1e-300).length === 1)!;
      const parts = components(mr, members, level);
      const lambda = level > 0 ? 1 / level : Infinity;
      const big = parts.filter((p) => p.length >= minClusterSize);
      if (big.length >= 2) {
        for (const p of parts) rows.push({ parent: label, child: key(p), lambda, size: p.length });
        for (const p of parts) split(p);
        return;
      }
      for (const p of parts.filter((q) => q.length < minClusterSize))
        for (const x of p) rows.push({ parent: label, child: String(x), lambda, size: 1 });
      if (big.length === 0) return;
      members = big[0]!;
    }
  };
  split([...mr.keys()]);
  return rows;
}

/** A condensed tree's rows with each cluster named by its sorted points, as the reference names them. */
function named(tree: CondensedTree): Row[] {
  const pointsOf = new Map<number, number[]>();
  const parentOf = new Map<number, number>();
  for (let r = 0; r < tree.child.length; r++)
    if (tree.child[r]! >= tree.n) parentOf.set(tree.child[r]!, tree.parent[r]!);
  for (let r = 0; r < tree.child.length; r++) {
    if (tree.child[r]! >= tree.n) continue;
    for (let c: number | undefined = tree.parent[r]!; c !== undefined; c = parentOf.get(c))
      pointsOf.set(c, [...(pointsOf.get(c) ?? []), tree.child[r]!]);
  }
  const name = (c: number) =>
    c < tree.n
      ? String(c)
      : pointsOf
          .get(c)!
          .sort((a, b) => a - b)
          .join(',');
  return [...tree.child.keys()].map((r) => ({
    parent: name(tree.parent[r]!),
    child: name(tree.child[r]!),
    lambda: tree.lambda[r]!,
    size: tree.size[r]!,
  }));
}

const canonical = (rows: Row[]) =>
  rows.map((r) => `${r.parent}|${r.child}|${r.lambda.toPrecision(10)}|${r.size}`).sort();

function randomPoints(seed: number): { points: Points; minClusterSize: number; minSamples: number } {
  const random = prng(seed);
  const n = 8 + Math.floor(random() * 30);
  const dim = 1 + Math.floor(random() * 3);
  // A few loose groups so the trees have real splits.
  const centres = Array.from({ length: 3 }, () => Array.from({ length: dim }, () => random() * 10));
  const rows = Array.from({ length: n }, () => {
    const c = centres[Math.floor(random() * 3)]!;
    return c.map((x) => x + random() * 2);
  });
  return {
    points: pointsFromRows(rows),
    minClusterSize: 2 + Math.floor(random() * 4),
    minSamples: 1 + Math.floor(random() * 5),
  };
}

test('Prim on the implicit mutual-reachability graph equals Kruskal over every pair', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const { points, minSamples } = randomPoints(seed);
    const mst = mutualReachabilityTree(points, coreDistances(points, minSamples));
    const ref = kruskal(mutualReachability(points, minSamples));
    const total = mst.weight.reduce((s, w) => s + w, 0);
    assert.ok(Math.abs(total - ref.total) < 1e-9 * ref.total, `seed ${seed}: ${total} vs ${ref.total}`);
    // Mutual reachability ties by construction (many edges weigh a core distance), so the tree itself may
    // differ; its weights, as a multiset, may not.
    const weights = (ws: Iterable<number>) => [...ws].map((w) => w.toPrecision(12));
    assert.deepEqual(weights(mst.weight), weights(ref.weights), `seed ${seed}`);
    for (let e = 1; e < mst.weight.length; e++) assert.ok(mst.weight[e - 1]! <= mst.weight[e]!);
  }
});

test('the condensed tree equals the top-down definition, row for row', () => {
  let checked = 0;
  for (let seed = 1; seed <= 80; seed++) {
    const { points, minClusterSize, minSamples } = randomPoints(seed);
    const mst = mutualReachabilityTree(points, coreDistances(points, minSamples));
    // Two merges at one level split three ways at once by definition, but in two binary steps in
    // scikit-learn's dendrogram; the definition only speaks for trees without tied merge levels.
    if (new Set(mst.weight).size < mst.weight.length) continue;
    checked++;
    const tree = condenseTree(singleLinkage(points.n, mst), minClusterSize);
    const ref = referenceCondensed(mutualReachability(points, minSamples), minClusterSize);
    assert.deepEqual(canonical(named(tree)), canonical(ref), `seed ${seed}`);
  }
  assert.ok(checked >= 20, `only ${checked} inputs without ties`);
});

test('excess of mass picks the antichain of greatest total stability (root excluded)', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const { points, minClusterSize, minSamples } = randomPoints(seed);
    const mst = mutualReachabilityTree(points, coreDistances(points, minSamples));
    const tree = condenseTree(singleLinkage(points.n, mst), minClusterSize);
    const stability = stabilities(tree);
    const n = tree.n;
    const parentOf = new Map<number, number>();
    for (let r = 0; r < tree.child.length; r++)
      if (tree.child[r]! >= n) parentOf.set(tree.child[r]!, tree.parent[r]!);
    const candidates = [...parentOf.keys()];
    const above = (c: number, a: number): boolean => {
      for (let x = parentOf.get(c); x !== undefined; x = parentOf.get(x)) if (x === a) return true;
      return false;
    };
    let best = { total: 0, set: [] as number[] };
    for (let mask = 1; mask < 1 << candidates.length; mask++) {
      const set = candidates.filter((_, k) => mask & (1 << k));
      if (set.some((a) => set.some((b) => above(b, a)))) continue;
      const total = set.reduce((s, c) => s + stability[c - n]!, 0);
      if (total > best.total) best = { total, set };
    }
    // Clusters of zero stability make ties, so the total is compared, and the choice must be an antichain.
    const chosen = [...selectClusters(tree).clusterOfLabel];
    assert.ok(!chosen.some((a) => chosen.some((b) => above(b, a))), `seed ${seed}: nested clusters chosen`);
    const total = chosen.reduce((s, c) => s + stability[c - n]!, 0);
    assert.ok(
      Math.abs(total - best.total) <= 1e-9 * best.total,
      `seed ${seed}: ${total} vs best ${best.total}`,
    );
  }
});
