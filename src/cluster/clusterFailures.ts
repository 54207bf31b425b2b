// One clustering of a window's failing spans, pure: HDBSCAN over their vectors, then per cluster its
// terms, failing rubrics, exemplar, centroid and id (an earlier cluster's when the failure mode matches).
import { createHash } from 'node:crypto';
import { clusterTerms } from './clusterTerms.js';
import { centroidOf, exemplarOf } from './exemplar.js';
import { hdbscan } from './hdbscan.js';
import { matchClusters } from './matchClusters.js';
import { distance } from './Points.js';
import type { Points } from './Points.js';

/** A failing LLM span and why it failed. */
export interface FailingSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** The answer the user saw. */
  readonly text: string;
  /** What failed: rubric ids, `thumbs_down`, `judge_lost`. */
  readonly failures: readonly string[];
}

/** A cluster of an earlier run, as stored. */
export interface EarlierCluster {
  readonly id: string;
  readonly centroid: Float32Array;
  readonly members: ReadonlySet<string>;
  readonly firstSeen: string;
  /** Its name, diagnosis and fix when a judge gave them (diagnosis '' when not). */
  readonly name?: string;
  readonly diagnosis?: string;
  readonly immediateFix?: string;
}

/** A cluster found in this run. */
export interface FoundCluster {
  readonly id: string;
  readonly name: string;
  readonly terms: readonly string[];
  /** Failures shared by at least a fifth of the members, most common first. */
  readonly failingRubrics: readonly string[];
  readonly exemplar: FailingSpan;
  readonly centroid: Float32Array;
  readonly members: readonly { span: FailingSpan; probability: number; distance: number }[];
  /** When the failure mode was first seen: an earlier cluster's, or this run's time. */
  readonly firstSeen: string;
  /** False when it continues an earlier cluster. */
  readonly isNew: boolean;
  /** The judge's diagnosis, when a judge was asked. */
  readonly diagnosis?: string;
  /** The judge's rewrite of the exemplar's answer (not a pair until the rubrics pass it). */
  readonly immediateFix?: string;
}

export interface ClusterFailuresOptions {
  readonly minClusterSize?: number;
  readonly minSamples?: number;
  /** This run's time (ISO), the first seen of new clusters. */
  readonly now: string;
}

/** Clusters the spans (row i of `vectors` is spans[i]); noise is in no cluster. */
export function clusterFailures(
  spans: readonly FailingSpan[],
  vectors: Points,
  earlier: readonly EarlierCluster[],
  options: ClusterFailuresOptions,
): FoundCluster[] {
  if (vectors.n !== spans.length) throw new RangeError(`${spans.length} spans but ${vectors.n} vectors`);
  const result = hdbscan(vectors, {
    minClusterSize: options.minClusterSize ?? 5,
    minSamples: options.minSamples,
  });
  const membersOf: number[][] = Array.from({ length: result.clusterCount }, () => []);
  result.labels.forEach((label, i) => label >= 0 && membersOf[label]!.push(i));
  const terms = clusterTerms(
    spans.map((s) => s.text),
    result.labels,
    result.clusterCount,
  );
  const drafts = membersOf.map((members, label) => {
    const centroid = centroidOf(vectors, members);
    const exemplar = exemplarOf(vectors, members, result.probabilities);
    return { label, members, centroid, exemplar };
  });
  const match = matchClusters(
    drafts.map((d) => ({ centroid: d.centroid, members: new Set(d.members.map((i) => spans[i]!.spanId)) })),
    earlier,
  );
  return drafts.map((d, k) => {
    const before = match[k]! >= 0 ? earlier[match[k]!] : undefined;
    const failingRubrics = sharedFailures(d.members.map((i) => spans[i]!.failures));
    const top = terms[d.label]!;
    const name = [
      top.slice(0, 3).join(' · ') || 'unnamed',
      failingRubrics.length > 0 ? `[${failingRubrics.join(', ')}]` : '',
    ]
      .join(' ')
      .trim();
    return {
      id: before?.id ?? newClusterId(spans[d.exemplar]!.spanId, options.now),
      name,
      terms: top,
      failingRubrics,
      exemplar: spans[d.exemplar]!,
      centroid: d.centroid,
      members: d.members.map((i) => ({
        span: spans[i]!,
        probability: result.probabilities[i]!,
        distance: distance(vectors, i, d.exemplar),
      })),
      firstSeen: before?.firstSeen ?? options.now,
      isNew: before === undefined,
    };
  });
}

/** Failures at least a fifth of the members share, most common first. */
function sharedFailures(failures: readonly (readonly string[])[]): string[] {
  const counts = new Map<string, number>();
  for (const list of failures) for (const f of new Set(list)) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts]
    .filter(([, c]) => c >= failures.length / 5)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([f]) => f);
}

/** A new cluster's id: from its exemplar and the run, so a rerun of the same data gives the same id. */
function newClusterId(exemplarSpanId: string, now: string): string {
  return `c_${createHash('sha256').update(`${exemplarSpanId}\n${now}`).digest('hex').slice(0, 12)}`;
}
