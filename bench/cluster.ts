// Cluster benchmark (not a test): the lexical embedder and HDBSCAN on planted failure modes — adjusted
// Rand index against the planted modes, and time and peak memory for 10k, 50k and 100k failing answers.
// Usage: node --import tsx bench/cluster.ts [quality | scale N]   (bench/run.ts calls benchSection)
// Each measurement runs in a child process so that its peak RSS is its own.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { adjustedRandIndex } from '../src/cluster/adjustedRandIndex.js';
import { fitIdf, LEXICAL_DIMENSIONS, lexicalEmbedding } from '../src/cluster/embed/lexicalEmbedder.js';
import { hdbscan } from '../src/cluster/hdbscan.js';
import { failureCorpus } from './failureCorpus.js';

const self = fileURLToPath(import.meta.url);

interface Quality {
  n: number;
  minClusterSize: number;
  clusters: number;
  ari: number;
  unclustered: number;
}

interface Scale {
  n: number;
  minClusterSize: number;
  embedSeconds: number;
  clusterSeconds: number;
  /** CPU seconds of the whole measurement: on a shared machine wall time also counts others' work. */
  cpuSeconds: number;
  clusters: number;
  ari: number;
  peakRssMiB: number;
}

/** The section for bench/run.ts: quality, then 10k/50k/100k (10k only with `quick`). */
export async function benchSection({ quick }: { quick: boolean }): Promise<string> {
  const quality = JSON.parse(await child(['quality'])) as Quality[];
  const sizes = quick ? [10_000] : [10_000, 50_000, 100_000];
  const scale: Scale[] = [];
  for (const n of sizes) scale.push(JSON.parse(await child(['scale', String(n)])) as Scale);
  return [
    '## Failure clusters (lexical embedder + HDBSCAN)',
    '',
    'Planted failure modes (`bench/failureCorpus.ts`): eight modes, each written many ways over shared topics,',
    'plus ~10% unrelated text; adjusted Rand index of the clusters against the planted modes.',
    '',
    '| answers | min cluster size | clusters | ARI | unclustered |',
    '|---:|---:|---:|---:|---:|',
    ...quality.map(
      (q) => `| ${q.n} | ${q.minClusterSize} | ${q.clusters} | ${q.ari.toFixed(3)} | ${q.unclustered} |`,
    ),
    '',
    `Scale (min cluster size n / 500, min samples 10; exact HDBSCAN up to 5000 points, approximate kNN above; ${LEXICAL_DIMENSIONS} dimensions;`,
    'wall seconds for each step, CPU seconds for the whole, as others share the machine):',
    '',
    '| answers | min cluster size | embed s | cluster s | CPU s | clusters | ARI | peak RSS MiB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...scale.map(
      (s) =>
        `| ${s.n} | ${s.minClusterSize} | ${s.embedSeconds.toFixed(1)} | ${s.clusterSeconds.toFixed(1)} | ${s.cpuSeconds.toFixed(1)} | ${s.clusters} | ${s.ari.toFixed(3)} | ${s.peakRssMiB} |`,
    ),
    '',
  ].join('\n');
}

function child(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', self, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    proc.on('error', reject);
    proc.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`bench/cluster.ts ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** Embeds a corpus with IDF fitted on it, as `prefloop cluster` does for one window. */
function embed(texts: string[]): Float32Array {
  const idf = fitIdf(texts);
  const data = new Float32Array(texts.length * LEXICAL_DIMENSIONS);
  texts.forEach((text, i) => data.set(lexicalEmbedding(text, idf), i * LEXICAL_DIMENSIONS));
  return data;
}

function quality(): Quality[] {
  const out: Quality[] = [];
  const n = 2000;
  const { texts, truth } = failureCorpus(n, 7);
  const data = embed(texts);
  for (const minClusterSize of [5, 20, 40]) {
    // min_samples stays small: it sets the kNN graph's k on the approximate path, whose cost grows with k².
    const r = hdbscan({ n, dim: LEXICAL_DIMENSIONS, data }, { minClusterSize, minSamples: 10 });
    out.push({
      n,
      minClusterSize,
      clusters: r.clusterCount,
      ari: adjustedRandIndex(r.labels, truth),
      unclustered: r.labels.filter((l) => l === -1).length,
    });
  }
  return out;
}

function scale(n: number): Scale {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  sampler.unref();
  const { texts, truth } = failureCorpus(n, 11);
  const minClusterSize = Math.max(20, Math.round(n / 500));
  const cpu = process.cpuUsage();
  let t = performance.now();
  const data = embed(texts);
  const embedSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  // min_samples stays small: it sets the kNN graph's k on the approximate path, whose cost grows with k².
  const r = hdbscan({ n, dim: LEXICAL_DIMENSIONS, data }, { minClusterSize, minSamples: 10 });
  const clusterSeconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  peak = Math.max(peak, process.memoryUsage.rss());
  return {
    n,
    minClusterSize,
    embedSeconds,
    clusterSeconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    clusters: r.clusterCount,
    ari: adjustedRandIndex(r.labels, truth),
    peakRssMiB: Math.round(peak / 2 ** 20),
  };
}

if (process.argv[1] === self) {
  const [mode, n] = process.argv.slice(2);
  if (mode === 'quality') process.stdout.write(JSON.stringify(quality()));
  else if (mode === 'scale') process.stdout.write(JSON.stringify(scale(Number(n))));
  else process.stdout.write(await benchSection({ quick: process.argv.includes('--quick') }));
}
