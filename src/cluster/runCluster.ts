// One `prefloop cluster` run: the window's failing spans, their vectors (cached ones reused), HDBSCAN,
// names and ids, written back. Everything but the store is the pure core's.
import { createHash } from 'node:crypto';
import { clusterFailures } from './clusterFailures.js';
import type { FailingSpan, FoundCluster } from './clusterFailures.js';
import type { ClusterStore } from './ClusterStore.js';
import { diagnoseClusters } from './diagnoseCluster.js';
import type { ClusterJudge } from './diagnoseCluster.js';
import { fitIdf, LEXICAL_MODEL, lexicalEmbedding } from './embed/lexicalEmbedder.js';
import { EmbedderError } from './embed/OpenAiEmbedder.js';
import { proposeJudgeFixes } from './judgeFixes.js';
import type { Rescorer, FixOutcome } from './clusterFixes.js';

export interface RunClusterOptions {
  since: Date;
  until: Date;
  minClusterSize?: number;
  minSamples?: number;
  /** Rubric ids whose failures count; empty or absent: all. */
  rubrics?: readonly string[];
  /** This run's time (tests pin it). */
  now?: Date;
  /** A remote embedder (vectors cached by text hash and its model name); absent: the lexical embedder. */
  embedder?: RemoteEmbedder;
  /** A judge to name and diagnose each cluster; absent: names from terms and rubrics only. */
  judge?: ClusterJudge;
  /** Told of each cluster whose judge call failed (it keeps its lexical name). */
  onJudgeError?: (cluster: FoundCluster, err: Error) => void;
  /** The judge's name in `fixed_by` of the fixes it proposes (`judge:<model>`). */
  judgeName?: string;
  /** Re-scores the judge's fixes (the rubric file); absent: fixes stay on the cluster, unscored, unpaired. */
  rescorer?: Rescorer;
  /** When the remote embedder stays unreachable (retries spent): use the lexical one for this run. Default true. */
  lexicalFallback?: boolean;
  /** Told when the run falls back to the lexical embedder. */
  onFallback?: (err: Error) => void;
}

/** What runCluster needs of a remote embedder (OpenAiEmbedder). */
export interface RemoteEmbedder {
  /** The model name its vectors are stored under. */
  readonly model: string;
  /** One vector per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export interface RunClusterResult {
  /** Failing spans found in the window. */
  failing: number;
  /** Vectors computed now (the rest came from span_embeddings). */
  embedded: number;
  model: string;
  /** The embedder used: `lexical`, `openai:<model>`, or `lexical (fallback from openai:<model>)`. */
  embedder: string;
  runId: string;
  clusters: FoundCluster[];
  /** The judge's fixes, re-scored and stored (only with a judge and a rescorer). */
  fixes: FixOutcome[];
}

/** Runs one clustering; with no failing spans it writes nothing and returns no clusters. */
export async function runCluster(store: ClusterStore, options: RunClusterOptions): Promise<RunClusterResult> {
  const now = options.now ?? new Date();
  const spans = await store.failingSpans(options.since, options.until, options.rubrics);
  const hashes = spans.map((s) => textHash(s.text));
  let embedderName = options.embedder ? `openai:${options.embedder.model}` : 'lexical';
  let got: Vectors;
  try {
    got = options.embedder
      ? await remoteVectors(store, spans, hashes, options.embedder, now)
      : await lexicalVectors(store, spans, hashes, now);
  } catch (err) {
    // Only an endpoint that stayed unreachable falls back; a wrong answer (401, bad JSON) is the user's to fix.
    if (!(err instanceof EmbedderError && err.retryable) || options.lexicalFallback === false) throw err;
    options.onFallback?.(err);
    embedderName = `lexical (fallback from ${embedderName})`;
    got = await lexicalVectors(store, spans, hashes, now);
  }
  const { model, baseModel, runId, vectors, embedded } = got;
  if (spans.length === 0)
    return { failing: 0, embedded: 0, model, embedder: embedderName, runId, clusters: [], fixes: [] };
  const dim = vectors[0]!.length;
  const data = new Float32Array(spans.length * dim);
  vectors.forEach((v, i) => {
    if (v.length !== dim)
      throw new RangeError(
        `vectors of mixed dimensions for model ${model}: ${dim} and ${v.length} (span ${spans[i]!.spanId}); clear span_embeddings for that model`,
      );
    data.set(v, i * dim);
  });
  const earlier = await store.earlierClusters(baseModel);
  const found = clusterFailures(spans, { n: spans.length, dim, data }, earlier, {
    minClusterSize: options.minClusterSize,
    minSamples: options.minSamples,
    now: now.toISOString(),
  });
  // A cluster the judge already diagnosed keeps its name, diagnosis and fix: only new ones are asked.
  const before = new Map(earlier.filter((e) => (e.diagnosis ?? '') !== '').map((e) => [e.id, e]));
  const toJudge = options.judge ? found.filter((c) => !before.has(c.id)) : [];
  const judged = options.judge ? await diagnoseClusters(toJudge, options.judge, 4, options.onJudgeError) : [];
  const diagnosis = new Map(toJudge.map((c, k) => [c.id, judged[k]]));
  const clusters = found.map((c) => {
    const d = diagnosis.get(c.id) ?? before.get(c.id);
    return d ? { ...c, name: d.name!, diagnosis: d.diagnosis, immediateFix: d.immediateFix } : c;
  });
  await store.saveRun(
    {
      runId,
      ranAt: now,
      since: options.since,
      until: options.until,
      model: baseModel,
      embedder: embedderName,
    },
    clusters,
  );
  const fixes =
    options.rescorer && options.judge
      ? await proposeJudgeFixes(
          store.fixes,
          options.rescorer,
          clusters.filter((c) => diagnosis.get(c.id) !== undefined),
          `judge:${options.judgeName ?? 'unnamed'}`,
          now,
        )
      : [];
  return { failing: spans.length, embedded, model, embedder: embedderName, runId, clusters, fixes };
}

interface Vectors {
  /** The key vectors are cached under. */
  model: string;
  /** The key clusters are matched under (the lexical IDF fingerprint dropped: its dimensions stay). */
  baseModel: string;
  runId: string;
  vectors: Float32Array[];
  embedded: number;
}

/** Lexical vectors: the IDF is the window's, so the model's name carries a fingerprint of its texts. */
async function lexicalVectors(
  store: ClusterStore,
  spans: readonly FailingSpan[],
  hashes: string[],
  now: Date,
): Promise<Vectors> {
  const fingerprint = createHash('sha256')
    .update([...hashes].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
  const model = `${LEXICAL_MODEL}/${fingerprint}`;
  const runId = `r_${now.getTime()}_${fingerprint.slice(0, 8)}`;
  if (spans.length === 0) return { model, baseModel: LEXICAL_MODEL, runId, vectors: [], embedded: 0 };
  const cached = await store.cachedVectors(model);
  const fresh = new Map<string, Float32Array>();
  const idf = cached.size < new Set(hashes).size ? fitIdf(spans.map((s) => s.text)) : undefined;
  const vectors = spans.map((span, i) => {
    const hash = hashes[i]!;
    let vector = cached.get(hash) ?? fresh.get(hash);
    if (vector === undefined) {
      vector = lexicalEmbedding(span.text, idf);
      fresh.set(hash, vector);
    }
    return vector;
  });
  await store.saveVectors(model, fresh);
  return { model, baseModel: LEXICAL_MODEL, runId, vectors, embedded: fresh.size };
}

/** Remote vectors: cached per text and model across runs; only texts never embedded are sent. */
async function remoteVectors(
  store: ClusterStore,
  spans: readonly FailingSpan[],
  hashes: string[],
  embedder: RemoteEmbedder,
  now: Date,
): Promise<Vectors> {
  const model = `openai:${embedder.model}`;
  const runId = `r_${now.getTime()}_${createHash('sha256').update(hashes.join('\n')).digest('hex').slice(0, 8)}`;
  if (spans.length === 0) return { model, baseModel: model, runId, vectors: [], embedded: 0 };
  const cached = await store.cachedVectors(model);
  const missing = new Map<string, string>();
  spans.forEach((s, i) => {
    if (!cached.has(hashes[i]!)) missing.set(hashes[i]!, s.text);
  });
  const got = await embedder.embed([...missing.values()]);
  const fresh = new Map([...missing.keys()].map((h, k) => [h, got[k]!]));
  await store.saveVectors(model, fresh);
  const vectors = hashes.map((h) => cached.get(h) ?? fresh.get(h)!);
  return { model, baseModel: model, runId, vectors, embedded: fresh.size };
}

/** The key of a text in span_embeddings: hex of the first 16 bytes of its SHA-256. */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
