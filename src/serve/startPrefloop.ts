// Assembles and starts the whole serve pipeline: store + migrations, sink, rubrics, masking, receiver.
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { PrefloopConfig } from '../config/loadConfig.js';
import { defaultConfig } from '../config/loadConfig.js';
import { OtlpForwarder } from '../forward/OtlpForwarder.js';
import { DEFAULTS, PATHS } from '../names.js';
import { extractFeedback } from '../normalize/extractFeedback.js';
import { normalizeSpan } from '../normalize/normalizeSpan.js';
import type { DecodedSpan, FeedbackRecord } from '../records/types.js';
import { Metrics } from '../observe/Metrics.js';
import { diag } from '../observe/diag.js';
import { OtlpReceiver } from '../receive/OtlpReceiver.js';
import type { ReceiverRoute } from '../receive/OtlpReceiver.js';
import { loadRubricFile } from '../score/RubricFile.js';
import { Scorer } from '../score/Scorer.js';
import { createBearerAuth, tokensFromEnv } from '../security/bearerAuth.js';
import { compileMasking, maskFeedback, maskSpan } from '../security/masking.js';
import type { RedactionTally } from '../security/masking.js';
import { loadTls } from '../security/tls.js';
import { migrate } from '../sink/migrate.js';
import { parseStoreUrl, openStore } from '../sink/openStore.js';
import { metricsRoute } from './metricsRoute.js';
import { queryRoutes } from './queryRoutes.js';
import { apiRoutes } from './apiRoutes.js';
import { writeServeLock } from './serveLock.js';
import { SpanSink } from '../sink/SpanSink.js';
import type { Store } from '../sink/Store.js';
import { settlesWithin } from '../sink/deadline.js';
import { scheduleRubricAgreement } from '../export/index.js';
import { pairDescriptors, writePairSettings, writeRubricPairConfig } from '../views/rubricPairConfig.js';
import { Pipeline } from '../pipeline/Pipeline.js';

export interface StartOptions {
  /** Validated config; default: the built-in default pipeline. */
  config?: PrefloopConfig;
  /** Store URL; default: the config's clickhouse endpoint, else embedded:.prefloop. */
  storeUrl?: string;
  /** HOST:PORT to listen on (port 0 picks a free one); default: the config's receiver endpoint. */
  endpoint?: string;
  /** Resolves relative paths in the config (rubric file, embedded folder); default process.cwd(). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** How a shutdown ended. */
export interface ShutdownReport {
  lostRows: number;
}

export interface RunningPrefloop {
  /** Base URL of the receiver, e.g. http://127.0.0.1:4318. */
  readonly url: string;
  readonly store: Store;
  readonly metrics: Metrics;
  readonly pipeline: Pipeline;
  /** Waits until everything taken so far (judged spans included) is in the store or the spool. */
  flush(): Promise<void>;
  /**
   * Stops accepting, drains and flushes, releases the store. Runs once. Its report counts acknowledged rows
   * that neither the store nor the spool took (0 unless the disk failed).
   */
  close(): Promise<ShutdownReport>;
}

export async function startPrefloop(options: StartOptions = {}): Promise<RunningPrefloop> {
  const config = options.config ?? defaultConfig();
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const storeUrl = options.storeUrl ?? config.clickhouse.endpoint ?? DEFAULTS.storeUrl;
  const http = config.receiver.protocols.http;
  const [host, portText] = splitEndpoint(options.endpoint ?? http.endpoint);

  // Everything that can fail on bad config is checked before the store is opened.
  const rubricSets = config.rubrics.map((r) => ({ cfg: r, set: loadRubricFile(resolve(cwd, r.file)) }));
  const masking = config.masking ? compileMasking(config.masking) : undefined;
  const tls = http.tls ? loadTls(http.tls) : undefined;
  const tokens = http.auth ? tokensFromEnv(http.auth.bearer_tokens_env, env) : [];
  if (http.auth && tokens.length === 0)
    throw new Error(
      `receivers.otlp auth: environment variable ${http.auth.bearer_tokens_env} holds no token`,
    );
  const queryTokens = http.query_auth ? tokensFromEnv(http.query_auth.bearer_tokens_env, env) : [];
  if (http.query_auth && queryTokens.length === 0)
    throw new Error(
      `receivers.otlp query_auth: environment variable ${http.query_auth.bearer_tokens_env} holds no token`,
    );

  const target = parseStoreUrl(storeUrl);
  const embeddedFolder = target.kind === 'embedded' ? resolve(cwd, target.folder!) : undefined;
  const store = await openStore(embeddedFolder ? `embedded:${embeddedFolder}#${target.database}` : storeUrl);
  const metrics = new Metrics();
  const cleanups: Array<() => Promise<void> | void> = [() => store.close()];
  /** Acknowledged rows the sink could give to neither the store nor the spool at close (the disk failed). */
  let lostRows = 0;
  try {
    await migrate(store, config.clickhouse.cluster ? { cluster: config.clickhouse.cluster } : {});
    await writeRubricPairConfig(
      store,
      rubricSets.flatMap(({ set }) => pairDescriptors(set)),
    );
    await writePairSettings(store, { feedbackName: DEFAULTS.feedbackName });
    // Rubric pairs are gated on their agreement with people, re-measured as thumbs arrive.
    const stopAgreement = scheduleRubricAgreement(store, (err) =>
      diag('warn', 'serve', 'measuring rubric agreement with people failed; will try again', err),
    );
    cleanups.unshift(() => stopAgreement());

    const ch = config.clickhouse;
    const sink = new SpanSink(store, metrics, {
      spoolDir: resolve(
        cwd,
        ch.spool.directory ?? (embeddedFolder ? join(embeddedFolder, 'spool') : '.prefloop-spool'),
      ),
      batchSize: ch.batch.max_rows,
      batchBytes: ch.batch.max_bytes,
      flushIntervalMs: ch.batch.flush_interval,
      maxQueuedSpans: ch.queue.max_spans,
      maxQueuedBytes: ch.queue.max_bytes,
      maxAttempts: ch.retry.max_attempts,
      backoffBaseMs: ch.retry.initial_interval,
      backoffMaxMs: ch.retry.max_interval,
      replayIntervalMs: ch.retry.max_interval,
      insertTimeoutMs: ch.timeout,
      // The grace period is shared: receiver and judges get half of it (below), the sink the other half.
      closeGraceMs: config.shutdownGraceMs / 2,
      spool: { maxBytes: ch.spool.max_bytes },
    });
    await sink.start();
    cleanups.unshift(async () => {
      lostRows = (await sink.close()).lostRows;
    });

    const scorers = rubricSets.map(({ set }) => new Scorer(set, { metrics, judge: { env } }));
    const forwarders = config.forwarders.map(
      ({ config: f }) =>
        new OtlpForwarder(
          {
            url: `${f.endpoint.replace(/\/+$/, '')}${PATHS.traces}`,
            headers: f.headers,
            timeoutMillis: f.timeout,
          },
          metrics,
        ),
    );
    cleanups.unshift(async () => {
      await Promise.all(forwarders.map((f) => f.shutdown()));
    });

    const promptClassAttribute = rubricSets.find(({ cfg }) => cfg.prompt_class_attribute)?.cfg
      .prompt_class_attribute;
    const normalizeOptions = promptClassAttribute ? { promptClassAttribute } : {};
    const tally: RedactionTally = new Map();
    const pipeline = new Pipeline({
      maskSpan: masking ? (s: DecodedSpan) => maskSpan(s, masking, tally) : (s) => s,
      maskFeedback: masking ? (f: FeedbackRecord) => maskFeedback(f, masking, tally) : (f) => f,
      normalize: (s) => normalizeSpan(s, normalizeOptions),
      extractFeedback,
      scorers,
      sink,
      forward: forwarders.length ? (spans) => forwarders.forEach((f) => f.forward(spans)) : undefined,
      metrics,
    });
    // Judged spans are sunk by their wait cap; past this only late judge scores are still pending.
    cleanups.unshift(() => within(pipeline.close(), config.shutdownGraceMs * 0.3, 'waiting for LLM judges'));

    const query = queryRoutes(store, embeddedFolder !== undefined, queryTokens);
    const api = apiRoutes({
      store,
      metrics,
      config,
      rubricSets,
      scorers,
      env,
      cwd,
      onClose: (step) => cleanups.unshift(step),
    });
    const routes: ReceiverRoute[] = [metricsRoute(metrics, tally), ...query.routes, ...api];
    const receiver = new OtlpReceiver(
      {
        host,
        port: Number(portText),
        maxBodyBytes: http.max_request_body_size,
        bodyTimeoutMs: http.body_timeout,
        ...(tls ? { tls } : {}),
        routes,
        ...(tokens.length ? { authenticate: createBearerAuth(tokens) } : {}),
      },
      pipeline,
      metrics,
    );
    const address: AddressInfo = await receiver.start();
    // Requests still reading their bodies were never acknowledged, so they may be abandoned.
    cleanups.unshift(() => within(receiver.close(), config.shutdownGraceMs * 0.2, 'closing the receiver'));
    const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `${tls ? 'https' : 'http'}://${hostForUrl}:${address.port}`;
    if (embeddedFolder && query.lockToken) {
      // Clients trust a loopback URL only, and the route answers loopback peers only.
      const lockHost = hostForUrl === '0.0.0.0' ? '127.0.0.1' : hostForUrl === '[::]' ? '[::1]' : hostForUrl;
      const lockUrl = `${tls ? 'https' : 'http'}://${lockHost}:${address.port}${PATHS.query}`;
      const removeLock = writeServeLock(embeddedFolder, lockUrl, query.lockToken);
      cleanups.push(removeLock);
    }

    let closing: Promise<ShutdownReport> | undefined;
    return {
      url,
      store,
      metrics,
      pipeline,
      async flush() {
        await pipeline.settle();
        await sink.flush();
      },
      close() {
        closing ??= runCleanups(cleanups).then(() => ({ lostRows }));
        return closing;
      },
    };
  } catch (err) {
    await runCleanups(cleanups);
    throw err;
  }
}

/** Runs shutdown steps in order (receiver → pipeline → forwarders → sink → store → lock), reporting failures. */
async function runCleanups(steps: Array<() => Promise<void> | void>): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      diag('error', 'serve', 'shutdown step failed', err);
    }
  }
}

/** Waits for a shutdown step at most `ms`, then moves on (saying so), so the sink always gets its turn. */
async function within(step: Promise<void>, ms: number, what: string): Promise<void> {
  if (await settlesWithin(step, ms)) return step; // a failed step still reports its failure
  diag('warn', 'serve', `shutdown: ${what} took over ${Math.round(ms)} ms; moving on`);
}

function splitEndpoint(endpoint: string): [string, string] {
  const i = endpoint.lastIndexOf(':');
  if (i <= 0) throw new Error(`endpoint ${JSON.stringify(endpoint)} is not HOST:PORT`);
  return [endpoint.slice(0, i).replace(/^\[|\]$/g, ''), endpoint.slice(i + 1)];
}
