// The cluster step's adapter to ClickHouse: reads failing spans, cached vectors and earlier clusters;
// writes vectors, clusters, members and run sizes. Same SQL on chDB and a server.
import { GATE, SYNTH, TABLES } from '../names.js';
import type { Store } from '../sink/Store.js';
import type { EarlierCluster, FailingSpan, FoundCluster } from './clusterFailures.js';
import { clusterSql } from './clusterSql.js';
import { FixStore } from './FixStore.js';

/** One row of `prefloop clusters`. */
export interface ClusterListing {
  id: string;
  name: string;
  size: number;
  previousSize: number;
  inLastRun: number;
  failingRubrics: string[];
  exemplarSpanId: string;
  /** The exemplar's prompt messages (JSON) and answer. */
  exemplarPrompt: string;
  exemplarResponse: string;
  diagnosis: string;
  /** The current fix: `none`, `proposed` (not re-scored), `passed`, `failed`, `approved`, `rejected`. */
  fixStatus: string;
  fixResponse: string;
  fixedBy: string;
  /** JSON array of the fix's rubric results. */
  fixScores: string;
  firstSeen: string;
  lastSeen: string;
  runs: number;
}

/** A run's window and identity. */
export interface RunInfo {
  runId: string;
  ranAt: Date;
  since: Date;
  until: Date;
  model: string;
  /** The embedder the vectors came from (`lexical (fallback from …)` when the remote one failed). */
  embedder?: string;
}

export class ClusterStore {
  /** The same store's fixes (cluster_fixes). */
  readonly fixes: FixStore;

  constructor(private readonly store: Store) {
    this.fixes = new FixStore(store);
  }

  /** Failing LLM spans in [since, until); `rubrics` limits which rubric failures count (empty: all). */
  failingSpans(since: Date, until: Date, rubrics: readonly string[] = []): Promise<FailingSpan[]> {
    return this.store.query<FailingSpan>(clusterSql('failing_spans'), {
      since_ms: since.getTime(),
      until_ms: until.getTime(),
      rubrics,
      own_services: [GATE.serviceName, SYNTH.serviceName],
    });
  }

  /** Vectors stored for a model, by text hash. */
  async cachedVectors(model: string): Promise<Map<string, Float32Array>> {
    const rows = await this.store.query<{ hash: string; vector: number[] }>(clusterSql('cached_embeddings'), {
      model,
    });
    return new Map(rows.map((r) => [r.hash, Float32Array.from(r.vector)]));
  }

  /** Stores new vectors. */
  async saveVectors(model: string, vectors: ReadonlyMap<string, Float32Array>): Promise<void> {
    if (vectors.size === 0) return;
    const rows = [...vectors].map(([hash, v]) => ({ TextHash: hash, Model: model, Vector: Array.from(v) }));
    await this.store.insert(TABLES.spanEmbeddings, rows);
  }

  /** Clusters earlier runs made with this model, with their members. */
  async earlierClusters(model: string): Promise<EarlierCluster[]> {
    const rows = await this.store.query<{
      id: string;
      name: string;
      diagnosis: string;
      immediateFix: string;
      centroid: number[];
      firstSeen: string;
      members: string[];
    }>(clusterSql('earlier_clusters'), { model });
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      diagnosis: r.diagnosis,
      immediateFix: r.immediateFix,
      centroid: Float32Array.from(r.centroid),
      firstSeen: r.firstSeen,
      members: new Set(r.members),
    }));
  }

  /** Writes this run's clusters, their members and sizes. */
  async saveRun(run: RunInfo, clusters: readonly FoundCluster[]): Promise<void> {
    const ms = (d: Date | string) => String(new Date(d).getTime());
    const ns = (d: Date) => `${d.getTime()}000000`;
    await this.store.insert(
      TABLES.clusters,
      clusters.map((c) => ({
        ClusterId: c.id,
        Name: c.name,
        Terms: c.terms,
        FailingRubrics: c.failingRubrics,
        ExemplarTraceId: c.exemplar.traceId,
        ExemplarSpanId: c.exemplar.spanId,
        Model: run.model,
        Centroid: Array.from(c.centroid),
        Size: c.members.length,
        FirstSeen: ms(c.firstSeen),
        LastSeen: ms(run.ranAt),
        Diagnosis: c.diagnosis ?? '',
        ImmediateFix: c.immediateFix ?? '',
        UpdatedAt: ms(run.ranAt),
      })),
    );
    await this.store.insert(
      TABLES.clusterMembers,
      clusters.flatMap((c) =>
        c.members.map((m) => ({
          ClusterId: c.id,
          ClusterLabel: c.name,
          TraceId: m.span.traceId,
          SpanId: m.span.spanId,
          IsExemplar: m.span.spanId === c.exemplar.spanId ? 1 : 0,
          Distance: m.distance,
          Probability: m.probability,
          RunId: run.runId,
          ClusteredAt: ms(run.ranAt),
        })),
      ),
    );
    await this.store.insert(
      TABLES.clusterRuns,
      clusters.map((c) => ({
        RunId: run.runId,
        RanAt: ms(run.ranAt),
        WindowStart: ns(run.since),
        WindowEnd: ns(run.until),
        ClusterId: c.id,
        Size: c.members.length,
        Embedder: run.embedder ?? run.model,
      })),
    );
  }

  /** Every cluster, those of the latest run first, largest first. */
  list(): Promise<ClusterListing[]> {
    return this.store.query<ClusterListing>(clusterSql('list_clusters'));
  }
}
