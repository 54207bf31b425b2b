// A cluster's exemplar, the member that stands for it: among the members of highest membership strength,
// the one nearest the cluster's medoid (the member with least total distance to the others).
import { distance } from './Points.js';
import type { Points } from './Points.js';

/** Members beyond this many are sampled evenly for the medoid, which costs their count squared. */
const MEDOID_SAMPLE = 400;

/** The exemplar's point index for one cluster, given its members' indices and membership strengths. */
export function exemplarOf(
  points: Points,
  members: readonly number[],
  probabilities: ArrayLike<number>,
): number {
  const step = Math.max(1, Math.ceil(members.length / MEDOID_SAMPLE));
  const sample = members.filter((_, k) => k % step === 0);
  let medoid = sample[0]!;
  let least = Infinity;
  for (const i of sample) {
    let total = 0;
    for (const j of sample) total += distance(points, i, j);
    if (total < least) [least, medoid] = [total, i];
  }
  const strongest = Math.max(...members.map((i) => probabilities[i]!));
  let best = members[0]!;
  let nearest = Infinity;
  for (const i of members) {
    if (probabilities[i]! < strongest) continue;
    const d = distance(points, i, medoid);
    if (d < nearest) [nearest, best] = [d, i];
  }
  return best;
}

/** The mean of the members' vectors, L2-normalised (for matching clusters across runs). */
export function centroidOf(points: Points, members: readonly number[]): Float32Array {
  const sum = new Float64Array(points.dim);
  for (const i of members) for (let d = 0; d < points.dim; d++) sum[d]! += points.data[i * points.dim + d]!;
  const norm = Math.sqrt(sum.reduce((s, v) => s + v * v, 0));
  return Float32Array.from(sum, (v) => (norm > 0 ? v / norm : 0));
}
