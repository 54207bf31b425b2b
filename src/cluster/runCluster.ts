// One `prefloop cluster` run: the window's failing spans, their vectors (cached ones reused), HDBSCAN,
// names and ids, written back. Everything but the store is the pure core's.
import { createHash } from 'node:crypto';
import { clusterFailures } from './clusterFailures.js';
import type { FoundCluster } from './clusterFailures.js';
import type { ClusterStore } from './ClusterStore.js';
import { fitIdf, LEXICAL_DIMENSIONS, LEXICAL_MODEL, lexicalEmbedding } from './embed/lexicalEmbedder.js';

export interface RunClusterOptions {
  since: Date;
  until: Date;
  minClusterSize?: number;
  minSamples?: number;
  /** Rubric ids whose failures count; empty or absent: all. */
  rubrics?: readonly string[];
  /** This run's time (tests pin it). */
  now?: Date;
}

export interface RunClusterResult {
  /** Failing spans found in the window. */
  failing: number;
  /** Vectors computed now (the rest came from span_embeddings). */
  embedded: number;
  model: string;
  runId: string;
  clusters: FoundCluster[];
}

/** Runs one clustering; with no failing spans it writes nothing and returns no clusters. */
export async function runCluster(store: ClusterStore, options: RunClusterOptions): Promise<RunClusterResult> {
  const now = options.now ?? new Date();
  const spans = await store.failingSpans(options.since, options.until, options.rubrics);
  const hashes = spans.map((s) => textHash(s.text));
  // The IDF is the window's, so the model's name carries a fingerprint of the window's texts.
  const fingerprint = createHash('sha256')
    .update([...hashes].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
  const model = `${LEXICAL_MODEL}/${fingerprint}`;
  const runId = `r_${now.getTime()}_${fingerprint.slice(0, 8)}`;
  if (spans.length === 0) return { failing: 0, embedded: 0, model, runId, clusters: [] };
  const cached = await store.cachedVectors(model);
  const fresh = new Map<string, Float32Array>();
  const idf = cached.size < new Set(hashes).size ? fitIdf(spans.map((s) => s.text)) : undefined;
  const data = new Float32Array(spans.length * LEXICAL_DIMENSIONS);
  spans.forEach((span, i) => {
    const hash = hashes[i]!;
    let vector = cached.get(hash) ?? fresh.get(hash);
    if (vector === undefined) {
      vector = lexicalEmbedding(span.text, idf);
      fresh.set(hash, vector);
    }
    if (vector.length !== LEXICAL_DIMENSIONS)
      throw new RangeError(
        `span_embeddings holds a ${vector.length}-dimension vector for model ${model}; expected ${LEXICAL_DIMENSIONS}`,
      );
    data.set(vector, i * LEXICAL_DIMENSIONS);
  });
  await store.saveVectors(model, fresh);
  const earlier = await store.earlierClusters(model.split('/')[0]!);
  const clusters = clusterFailures(spans, { n: spans.length, dim: LEXICAL_DIMENSIONS, data }, earlier, {
    minClusterSize: options.minClusterSize,
    minSamples: options.minSamples,
    now: now.toISOString(),
  });
  await store.saveRun(
    { runId, ranAt: now, since: options.since, until: options.until, model: LEXICAL_MODEL },
    clusters,
  );
  return { failing: spans.length, embedded: fresh.size, model, runId, clusters };
}

/** The key of a text in span_embeddings: hex of the first 16 bytes of its SHA-256. */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
