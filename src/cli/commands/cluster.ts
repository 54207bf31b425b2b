// `prefloop cluster`: the window's failing LLM spans embedded, clustered (HDBSCAN), named and stored.
import { ClusterStore } from '../../cluster/ClusterStore.js';
import { OpenAiEmbedder } from '../../cluster/embed/OpenAiEmbedder.js';
import { JudgeClient } from '../../score/judge/JudgeClient.js';
import { runCluster } from '../../cluster/runCluster.js';
import { FixRescorer } from '../../cluster/rescoreFix.js';
import { DEFAULTS } from '../../names.js';
import { packagePath } from '../../paths.js';
import { loadRubricFile } from '../../score/RubricFile.js';
import type { RubricSet } from '../../score/RubricFile.js';
import type { CommandInput } from '../Command.js';
import { resolve } from 'node:path';
import type { Command } from '../Command.js';
import { UsageError } from '../Command.js';
import { resolveConfig, resolveStore, withClientStore } from '../resolve.js';
import { readServeLock } from '../../serve/serveLock.js';
import { parseStoreUrl } from '../../sink/openStore.js';
import { formatChoice, integerOption, pointInTime } from './clusterOptions.js';

export const clusterCommand: Command = {
  name: 'cluster',
  summary: 'group the failing LLM spans of a window into named failure clusters (Error Feed, Path B)',
  usage:
    '[--since T] [--until T] [--min-cluster-size N] [--min-samples N] [--rubrics a,b] [--embedder lexical|openai --embed-url URL --embed-model M [--no-fallback]] [--judge-url URL --judge-model M [--rubric-file FILE]] [--format table|json]',
  options: {
    since: { type: 'string' },
    until: { type: 'string' },
    'min-cluster-size': { type: 'string' },
    'min-samples': { type: 'string' },
    rubrics: { type: 'string' },
    embedder: { type: 'string' },
    'embed-url': { type: 'string' },
    'embed-model': { type: 'string' },
    'judge-url': { type: 'string' },
    'judge-model': { type: 'string' },
    'rubric-file': { type: 'string' },
    'no-fallback': { type: 'boolean' },
    format: { type: 'string' },
  },
  help: [
    '--since T             start of the window: an ISO time or an age like 24h, 7d (default 24h)',
    '--until T             end of the window, exclusive (default now)',
    '--min-cluster-size N  smallest group that is a cluster (default 5)',
    '--min-samples N       neighbours for the core distance (default: the min cluster size)',
    '--rubrics a,b         only these rubrics\u2019 failures count (default: every rubric)',
    '--embedder NAME       lexical (default: built in, no download) or openai (any /v1/embeddings)',
    '--embed-url URL       openai: the base URL up to /v1; the key comes from PREFLOOP_EMBED_API_KEY',
    '--embed-model M       openai: the model name',
    '--no-fallback         openai: fail when the endpoint stays unreachable (default: warn and use lexical for this run)',
    '--judge-url URL       name, diagnose and propose a fix per cluster with this OpenAI-compatible judge (up to /v1)',
    '--judge-model M       the judge model; the key comes from PREFLOOP_JUDGE_API_KEY',
    '--rubric-file FILE    re-score the judge\u2019s fixes with this rubric file (default: the config\u2019s, else the built-in one)',
    '--format table|json   a readable table (default) or one JSON document',
  ],
  async run(input) {
    const now = new Date();
    const format = formatChoice(input.values.format);
    const embedder = remoteEmbedder(input.values, input.io.env);
    const since = pointInTime(input.values.since, '--since', now) ?? new Date(now.getTime() - 24 * 3600_000);
    const until = pointInTime(input.values.until, '--until', now) ?? now;
    if (!(since < until))
      throw new UsageError(
        `--since (${since.toISOString()}) must be before --until (${until.toISOString()})`,
      );
    const judge = judgeOf(input.values, input.io.env);
    const rubrics = ((input.values.rubrics as string | undefined) ?? '').split(',').filter((r) => r !== '');
    refuseServeHeldFolder(input);
    const result = await withClientStore(input, (store) =>
      runCluster(new ClusterStore(store), {
        since,
        until,
        rubrics,
        minClusterSize: integerOption(input.values['min-cluster-size'], '--min-cluster-size', 2),
        minSamples: integerOption(input.values['min-samples'], '--min-samples', 1),
        now,
        embedder,
        judge,
        judgeName: input.values['judge-model'] as string | undefined,
        rescorer: judge ? new FixRescorer(rubricSet(input), { env: input.io.env }) : undefined,
        lexicalFallback: input.values['no-fallback'] !== true,
        onFallback: (err) =>
          input.io.stderr.write(`warning: ${err.message}; clustering this run with the lexical embedder\n`),
        onJudgeError: (c, err) =>
          input.io.stderr.write(`note: cluster ${c.id} keeps its term name: ${err.message}\n`),
      }),
    );
    const window = `${since.toISOString()} to ${until.toISOString()}`;
    if (result.failing === 0) {
      const message = `no failing LLM spans from ${window}; nothing clustered, nothing written\n`;
      if (format === 'json') input.io.stdout.write(JSON.stringify({ failing: 0, clusters: [] }) + '\n');
      else input.io.stdout.write(message);
      return 0;
    }
    const clusters = result.clusters.map((c) => ({
      id: c.id,
      name: c.name,
      size: c.members.length,
      status: c.isNew ? 'new' : 'seen before',
      firstSeen: c.firstSeen,
      terms: c.terms,
      failingRubrics: c.failingRubrics,
      diagnosis: c.diagnosis ?? '',
      immediateFix: c.immediateFix ?? '',
      exemplar: { traceId: c.exemplar.traceId, spanId: c.exemplar.spanId, text: c.exemplar.text },
    }));
    const clustered = clusters.reduce((s, c) => s + c.size, 0);
    if (format === 'json') {
      input.io.stdout.write(
        JSON.stringify({
          failing: result.failing,
          embedded: result.embedded,
          embedder: result.embedder,
          noise: result.failing - clustered,
          runId: result.runId,
          clusters,
          fixes: result.fixes,
        }) + '\n',
      );
      return 0;
    }
    const lines = [
      `${result.failing} failing LLM spans from ${window}: ${clusters.length} clusters, ${result.failing - clustered} unclustered (noise); ${result.embedded} texts embedded now (${result.embedder})`,
      ...clusters.map(
        (c) =>
          `  ${c.id}  ${String(c.size).padStart(5)}  ${c.status.padEnd(11)}  ${c.name}\n` +
          `      exemplar ${c.exemplar.spanId}: ${JSON.stringify(c.exemplar.text.slice(0, 100))}`,
      ),
    ];
    for (const f of result.fixes)
      lines.push(
        `  fix for ${f.cluster_id}: ${f.status}` + (f.reasons.length > 0 ? ` (${f.reasons.join('; ')})` : ''),
      );
    input.io.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};

/** The remote embedder the options name, or undefined for the built-in lexical one. */
function remoteEmbedder(values: Record<string, unknown>, env: NodeJS.ProcessEnv): OpenAiEmbedder | undefined {
  const name = (values.embedder as string | undefined) ?? 'lexical';
  if (name === 'lexical') return undefined;
  if (name !== 'openai')
    throw new UsageError(`--embedder must be lexical or openai, not ${JSON.stringify(name)}`);
  const baseUrl = values['embed-url'] as string | undefined;
  const model = values['embed-model'] as string | undefined;
  if (baseUrl === undefined || model === undefined)
    throw new UsageError('--embedder openai needs --embed-url URL (up to /v1) and --embed-model M');
  return new OpenAiEmbedder({ baseUrl, model, apiKey: env.PREFLOOP_EMBED_API_KEY });
}

/** The judge the options name, or undefined: clusters are then named by their terms and rubrics. */
function judgeOf(values: Record<string, unknown>, env: NodeJS.ProcessEnv): JudgeClient | undefined {
  const baseUrl = values['judge-url'] as string | undefined;
  const model = values['judge-model'] as string | undefined;
  if (baseUrl === undefined && model === undefined) return undefined;
  if (baseUrl === undefined || model === undefined)
    throw new UsageError('a judge needs both --judge-url URL (up to /v1) and --judge-model M');
  return new JudgeClient({
    baseUrl,
    model,
    apiKey: env.PREFLOOP_JUDGE_API_KEY,
    timeoutMs: 60_000,
    maxRetries: 3,
    backoffMs: 500,
    temperature: 0,
    maxTokens: 1000,
  });
}

/** The rubric file fixes are re-scored with: --rubric-file, else the config's first, else the built-in one. */
function rubricSet(input: CommandInput): RubricSet {
  const file =
    (input.values['rubric-file'] as string | undefined) ??
    resolveConfig(input).rubrics[0]?.file ??
    packagePath(DEFAULTS.rubricFile);
  return loadRubricFile(resolve(input.io.cwd, file));
}

/**
 * A folder a running serve holds is reached through its read-only SQL endpoint, where clustering cannot
 * write: say so before any work, and name the way that works.
 */
function refuseServeHeldFolder(input: CommandInput): void {
  const { url } = resolveStore(input, resolveConfig(input));
  const target = parseStoreUrl(url);
  if (target.kind !== 'embedded') return;
  const lock = readServeLock(target.folder!);
  if (lock && lock.pid !== process.pid)
    throw new UsageError(
      `serve (pid ${lock.pid}) holds ${target.folder}, and its SQL endpoint is read-only, so prefloop cluster cannot write there; ` +
        'enable clustering inside serve (clustering: in prefloop.yaml, docs/clusters.md) or stop serve first',
    );
}
