// Reads prefloop.yaml: ${env:NAME} substitution, zod validation of every component, one error listing every problem.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type {
  ClickhouseExporterConfig,
  OtlpHttpExporterConfig,
  OtlpReceiverConfig,
  RubricsProcessorConfig,
  ReviewConfig,
  ClusteringConfig,
  JudgeDriftConfig,
} from './schema.js';
import { COMPONENT_SCHEMAS, configSchema } from './schema.js';
import type { MaskingConfig } from '../security/maskingConfig.js';

/** The validated configuration, resolved to what `serve` runs. */
export interface PrefloopConfig {
  /** Where it came from: a file path, or '(built-in defaults)'. */
  readonly source: string;
  readonly receiver: OtlpReceiverConfig;
  /** Rubric stages in pipeline order (usually one). */
  readonly rubrics: readonly RubricsProcessorConfig[];
  /** Masking stage options; undefined when not in the pipeline. */
  readonly masking: MaskingConfig | undefined;
  readonly clickhouse: ClickhouseExporterConfig;
  readonly forwarders: readonly { id: string; config: OtlpHttpExporterConfig }[];
  readonly shutdownGraceMs: number;
  /** Human review: band thresholds, annotator tokens (docs/review.md). */
  readonly review: ReviewConfig;
  /** Failure clustering inside serve (docs/clusters.md); off by default. */
  readonly clustering: ClusteringConfig;
  /** Judges against people while serving: spot checks and the drift alarm (docs/agreement.md); off by default. */
  readonly judgeDrift: JudgeDriftConfig;
}

/** A config that cannot be used; `problems` lists every one with its path. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid config ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The pipeline `serve` runs with no config file: OTLP in, default rubrics, the store out. */
export const DEFAULT_CONFIG_YAML = `
receivers:
  otlp: {}
processors:
  rubrics: {}
exporters:
  clickhouse: {}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [rubrics]
      exporters: [clickhouse]
`;

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): PrefloopConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read the file: ${(err as Error).message}`]);
  }
  return parseConfig(text, path, env);
}

export function defaultConfig(): PrefloopConfig {
  return parseConfig(DEFAULT_CONFIG_YAML, '(built-in defaults)', {});
}

export function parseConfig(
  text: string,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): PrefloopConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.slice(0, 3).map((e) => `YAML: ${e.message.split('\n')[0]}`),
    );
  }
  const problems: string[] = [];
  const raw = substituteEnv(doc.toJS() ?? {}, env, '', problems);
  const top = configSchema.safeParse(raw);
  if (!top.success) throw new ConfigError(source, [...problems, ...formatIssues(top.error, '')]);
  const cfg = top.data;

  const pipelines = Object.entries(cfg.service.pipelines);
  if (pipelines.length === 0) problems.push('service.pipelines: define a "traces" pipeline');
  for (const [name] of pipelines) {
    if (name !== 'traces' && !name.startsWith('traces/'))
      problems.push(`service.pipelines.${name}: only traces pipelines are supported`);
  }

  const parsed = {
    receivers: new Map<string, unknown>(),
    processors: new Map<string, unknown>(),
    exporters: new Map<string, unknown>(),
  };
  for (const section of ['receivers', 'processors', 'exporters'] as const) {
    for (const [id, value] of Object.entries(cfg[section])) {
      const type = id.split('/')[0]!;
      const schemas = COMPONENT_SCHEMAS[section] as Record<string, z.ZodType>;
      const schema = schemas[type];
      if (!schema) {
        problems.push(
          `${section}.${id}: unknown ${section.slice(0, -1)} type "${type}" (known: ${Object.keys(schemas).join(', ')})`,
        );
        continue;
      }
      const result = schema.safeParse(value ?? {});
      if (!result.success) problems.push(...formatIssues(result.error, `${section}.${id}`));
      else parsed[section].set(id, result.data);
    }
  }

  const [pipelineName, pipeline] = pipelines[0] ?? [
    'traces',
    { receivers: [], processors: [], exporters: [] },
  ];
  const where = `service.pipelines.${pipelineName}`;
  for (const section of ['receivers', 'processors', 'exporters'] as const) {
    pipeline[section].forEach((id, i) => {
      if (!(id in cfg[section]))
        problems.push(`${where}.${section}[${i}]: "${id}" is not defined under ${section}`);
    });
  }
  const ofType = (ids: string[], type: string) => ids.filter((id) => id.split('/')[0] === type);
  const receiverIds = ofType(pipeline.receivers, 'otlp');
  if (pipeline.receivers.length > 0 && receiverIds.length !== 1)
    problems.push(`${where}.receivers: exactly one otlp receiver is supported`);
  const clickhouseIds = ofType(pipeline.exporters, 'clickhouse');
  if (pipeline.exporters.length > 0 && clickhouseIds.length !== 1)
    problems.push(`${where}.exporters: exactly one clickhouse exporter is required (it is the store)`);
  if (problems.length > 0) throw new ConfigError(source, problems);

  return Object.freeze({
    source,
    receiver: parsed.receivers.get(receiverIds[0]!) as OtlpReceiverConfig,
    rubrics: ofType(pipeline.processors, 'rubrics').map(
      (id) => parsed.processors.get(id) as RubricsProcessorConfig,
    ),
    masking: ofType(pipeline.processors, 'masking')
      .map((id) => parsed.processors.get(id) as MaskingConfig)
      .at(0),
    clickhouse: parsed.exporters.get(clickhouseIds[0]!) as ClickhouseExporterConfig,
    forwarders: ofType(pipeline.exporters, 'otlphttp').map((id) => ({
      id,
      config: parsed.exporters.get(id) as OtlpHttpExporterConfig,
    })),
    shutdownGraceMs: cfg.service.shutdown_grace,
    review: cfg.review,
    clustering: cfg.clustering,
    judgeDrift: cfg.judge_drift,
  });
}

const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces ${env:NAME} (or ${env:NAME:-default}) in string values; a missing variable is a problem. */
function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path: string, problems: string[]): unknown {
  if (typeof value === 'string') {
    const replaced = value.replace(ENV_REF, (_all, name: string, fallback: string | undefined) => {
      const v = env[name];
      if (v !== undefined) return v;
      if (fallback !== undefined) return fallback;
      problems.push(`${path || '(root)'}: environment variable ${name} is not set`);
      return '';
    });
    // A whole-value reference to a number stays a number, as the collector does.
    return replaced !== value && /^-?\d+(\.\d+)?$/.test(replaced) && /^\$\{[^}]+\}$/.test(value)
      ? Number(replaced)
      : replaced;
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, `${path}[${i}]`, problems));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = substituteEnv(v, env, path ? `${path}.${k}` : k, problems);
    return out;
  }
  return value;
}

function formatIssues(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return `${path || '(root)'}: ${issue.message}`;
  });
}
