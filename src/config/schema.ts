// The prefloop.yaml schema, collector style: receivers / processors / exporters / service.pipelines.
import { packagePath } from '../paths.js';
import { z } from 'zod';
import { DEFAULTS } from '../names.js';
import { maskingConfigSchema } from '../security/maskingConfig.js';
import { duration, size } from './units.js';

const endpoint = z
  .string()
  .regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'expected HOST:PORT, e.g. 127.0.0.1:4318');

export const otlpReceiverSchema = z.strictObject({
  protocols: z
    .strictObject({
      http: z
        .strictObject({
          /** Where OTLP/HTTP and the feedback API listen. */
          endpoint: endpoint.default(DEFAULTS.endpoint),
          /** Largest accepted body after decompression. */
          max_request_body_size: size.default(DEFAULTS.maxBodyBytes),
          /** A request whose body has not fully arrived by then is answered 408 (slow-loris guard). */
          body_timeout: duration.default(DEFAULTS.bodyTimeoutMs),
          /** Bearer-token auth on the ingest endpoints; tokens come from this environment variable (comma-separated). */
          auth: z.strictObject({ bearer_tokens_env: z.string().min(1) }).optional(),
          /**
           * Extra tokens for the read-only SQL route (/v1/query, loopback only); ingest tokens never open it.
           * Default: none, only the per-run token in the embedded folder's serve.lock.json.
           */
          query_auth: z.strictObject({ bearer_tokens_env: z.string().min(1) }).optional(),
          /** TLS when a certificate is configured. */
          tls: z.strictObject({ cert_file: z.string().min(1), key_file: z.string().min(1) }).optional(),
        })
        .prefault({}),
    })
    .prefault({}),
});

export const rubricsProcessorSchema = z.strictObject({
  /** The rubric file scored on every span. */
  // The rubric file shipped in the package, wherever it is installed: from an install, a relative
  // collector-config/ would be looked for in the user's own folder.
  file: z.string().min(1).default(packagePath(DEFAULTS.rubricFile)),
  /** Span attribute whose value names the prompt class (template id, intent); falls back to the prompt hash. */
  prompt_class_attribute: z.string().min(1).optional(),
});

/** Masking options: the masking stage's own schema, so its problems join the one list of config errors. */
export const maskingProcessorSchema = maskingConfigSchema;

export const clickhouseExporterSchema = z.strictObject({
  /** Store URL: embedded:<folder> or http(s)://[user:password@]host:port[/database]. */
  endpoint: z.string().min(1).optional(),
  /** One insert attempt is abandoned (and its batch spooled) after this long. */
  timeout: duration.default(DEFAULTS.insertTimeoutMs),
  /** ClickHouse cluster: DDL runs ON CLUSTER with Replicated engines. */
  cluster: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'expected a cluster name (letters, digits, _ . -)')
    .optional(),
  /** Rows (and their encoded bytes) per insert, and the longest a row waits before its batch is written. */
  batch: z
    .strictObject({
      max_rows: z.number().int().positive().default(DEFAULTS.batchRows),
      max_bytes: size.default(DEFAULTS.batchBytes),
      flush_interval: duration.default(DEFAULTS.flushIntervalMs),
    })
    .prefault({}),
  /** Memory bound of the queue in front of the store (spans, and bytes of encoded rows); past it the receiver answers 429. */
  queue: z
    .strictObject({
      max_spans: z.number().int().positive().default(DEFAULTS.queueSpans),
      max_bytes: size.default(DEFAULTS.queueBytes),
    })
    .prefault({}),
  /** Store failures: retried with exponential backoff and jitter, then spooled to disk. */
  retry: z
    .strictObject({
      initial_interval: duration.default(DEFAULTS.retryInitialMs),
      max_interval: duration.default(DEFAULTS.retryMaxMs),
      max_attempts: z.number().int().nonnegative().default(DEFAULTS.retryAttempts),
    })
    .prefault({}),
  /** On-disk spool for batches the store could not take (replayed in order when it is back). */
  spool: z
    .strictObject({ directory: z.string().min(1).optional(), max_bytes: size.default(DEFAULTS.spoolBytes) })
    .prefault({}),
});

export const otlpHttpExporterSchema = z.strictObject({
  /** Base URL of the next OTLP/HTTP hop; spans go to <endpoint>/v1/traces. */
  endpoint: z.string().url(),
  headers: z.record(z.string(), z.string()).default({}),
  timeout: duration.default(DEFAULTS.insertTimeoutMs),
});

const componentId = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\/[\w.-]+)?$/, 'expected a component id like "type" or "type/name"');

export const configSchema = z.strictObject({
  receivers: z.record(componentId, z.unknown()).default({}),
  processors: z.record(componentId, z.unknown()).default({}),
  exporters: z.record(componentId, z.unknown()).default({}),
  service: z
    .strictObject({
      pipelines: z
        .record(
          z.string(),
          z.strictObject({
            receivers: z.array(z.string()).min(1),
            processors: z.array(z.string()).default([]),
            exporters: z.array(z.string()).min(1),
          }),
        )
        .default({}),
      /** On SIGTERM/SIGINT: stop accepting, drain, flush, exit within this grace period. */
      shutdown_grace: duration.default(10_000),
    })
    .prefault({}),
  /** Human review (docs/review.md): band thresholds and annotator tokens. */
  review: z
    .strictObject({
      bands: z
        .strictObject({
          // No floor: Fleiss' per-item term is unbounded below as P_e nears 1 (a 2–1 split of three
          // scores −1.08 at P_e = 0.68), so sending splits to review may need discard_below under −1.
          discard_below: z.number().max(1).default(DEFAULTS.reviewDiscardBelow),
          train_from: z.number().min(-1).max(1).default(DEFAULTS.reviewTrainFrom),
        })
        .refine((b) => b.discard_below <= b.train_from, 'discard_below must not exceed train_from')
        .prefault({}),
      /** Environment variable holding `name:token,name:token`; such a token opens only that annotator's review. */
      annotator_tokens_env: z.string().min(1).optional(),
    })
    .prefault({}),
  /** Failure clustering inside serve (docs/clusters.md): off unless enabled. */
  clustering: z
    .strictObject({
      enabled: z.boolean().default(false),
      interval: duration.default(3_600_000),
      window: duration.default(86_400_000),
      min_cluster_size: z.number().int().min(2).default(5),
      min_samples: z.number().int().min(1).optional(),
      rubrics: z.array(z.string()).default([]),
      embedder: z
        .strictObject({
          type: z.enum(['lexical', 'openai']).default('lexical'),
          endpoint: z.string().url().optional(),
          model: z.string().min(1).optional(),
          api_key: z.string().optional(),
          fallback: z.boolean().default(true),
        })
        .refine((e) => e.type === 'lexical' || (e.endpoint && e.model), 'openai needs endpoint and model')
        .prefault({}),
      judge: z
        .strictObject({
          endpoint: z.string().url(),
          model: z.string().min(1),
          api_key: z.string().optional(),
        })
        .optional(),
    })
    .refine((c) => c.interval > 0, { message: 'interval must be above 0', path: ['interval'] })
    .prefault({}),
  /** Judges against people while serving (docs/agreement.md): spot checks and the drift alarm; off unless enabled. */
  judge_drift: z
    .strictObject({
      enabled: z.boolean().default(false),
      interval: duration.default(600_000),
      window: duration.default(604_800_000),
      margin: z.number().min(0).max(1).default(0.1),
      min_items: z.number().int().min(1).default(20),
      spot_check_share: z.number().min(0).max(1).default(0.05),
      annotators: z.array(z.string().min(1)).default([]),
      per_item: z.number().int().min(1).default(2),
    })
    .prefault({}),
});

export type RawConfig = z.output<typeof configSchema>;
export type OtlpReceiverConfig = z.output<typeof otlpReceiverSchema>;
export type RubricsProcessorConfig = z.output<typeof rubricsProcessorSchema>;
export type ClickhouseExporterConfig = z.output<typeof clickhouseExporterSchema>;
export type OtlpHttpExporterConfig = z.output<typeof otlpHttpExporterSchema>;
export type ReviewConfig = RawConfig['review'];
export type ClusteringConfig = RawConfig['clustering'];
export type JudgeDriftConfig = RawConfig['judge_drift'];

/** The component types prefloop knows, by section, with the schema of each. */
export const COMPONENT_SCHEMAS = {
  receivers: { otlp: otlpReceiverSchema },
  processors: { rubrics: rubricsProcessorSchema, masking: maskingProcessorSchema },
  exporters: { clickhouse: clickhouseExporterSchema, otlphttp: otlpHttpExporterSchema },
} as const;
