// The rubric file: parsed once with zod, every problem listed with its path, hashed into the rubric-set version.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { EVALUATORS, LLM_JUDGE } from './evaluators/registry.js';
import { judgeSchema, type JudgeSettings } from './judge/JudgeSettings.js';

const idPattern = /^[A-Za-z][A-Za-z0-9_.:/-]*$/;
const patterns = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

const rubricSchema = z
  .object({
    id: z.string().regex(idPattern, 'expected letters, digits and _ . : / - starting with a letter'),
    description: z.string().default(''),
    evaluator: z.string().min(1),
    applies_to: z
      .object({
        span_kind: patterns.default(['LLM']),
        model: patterns.default([]),
        service: patterns.default([]),
        attributes: z.record(z.string(), patterns).default({}),
      })
      .strict()
      .prefault({}),
    params: z.record(z.string(), z.unknown()).optional(),
    threshold: z.number().min(0).max(1),
    direction: z.enum(['higher_is_better', 'lower_is_better']).optional(),
    critical: z.boolean().default(false),
    noise_floor: z.number().min(0).max(1).default(0.05),
    // How far a release gate lets this rubric fall before it counts as a regression [noise_floor].
    gate_tolerance: z.number().min(0).max(1).optional(),
    pairs: z
      .union([z.literal(false), z.object({ weight: z.number().positive().default(1) }).strict()])
      .default({
        weight: 1,
      }),
    version: z.union([z.string().min(1), z.number()]).optional(),
    judge: z.unknown().optional(),
  })
  .strict();

const fileSchema = z
  .object({
    description: z.string().optional(),
    // Rubric (Path A) pairs feed export only once the combined score's agreement with human pairs has a
    // Wilson 95% lower bound above this (src/export/rubricAgreement.ts; 0.5 when unset).
    agreement_floor: z.number().min(0).max(1).optional(),
    rubrics: z.array(z.unknown()).min(1, 'expected at least one rubric'),
  })
  .strict();

/** Which spans a rubric applies to; empty lists match everything. Patterns take `*` wildcards. */
export interface RubricTarget {
  spanKinds: readonly string[];
  models: readonly string[];
  services: readonly string[];
  /** Attribute key → accepted values (compared as strings). */
  attributes: Readonly<Record<string, readonly string[]>>;
}

/** One validated rubric. */
export interface Rubric {
  id: string;
  /** `<set hash>` unless the rubric declares its own `version`. */
  version: string;
  description: string;
  /** A built-in evaluator name, or `llm_judge`. */
  evaluator: string;
  annotatorKind: 'CODE' | 'LLM';
  appliesTo: RubricTarget;
  /** The evaluator's params after its own schema filled defaults. */
  params: unknown;
  threshold: number;
  higherIsBetter: boolean;
  critical: boolean;
  noiseFloor: number;
  /** A gate counts a drop as a regression only when its interval lies wholly below -gateTolerance. */
  gateTolerance: number;
  /** null when the rubric must not feed preference pairs. */
  pairs: { weight: number } | null;
  judge: JudgeSettings | null;
}

/** Whether a score meets the rubric's threshold in the rubric's direction. */
export function passes(rubric: Pick<Rubric, 'higherIsBetter' | 'threshold'>, score: number): boolean {
  return rubric.higherIsBetter ? score >= rubric.threshold : score <= rubric.threshold;
}

/** A loaded rubric file. */
export interface RubricSet {
  /** sha256 of the file bytes, first 12 hex digits: the rubric-set version. */
  hash: string;
  /** Where it came from (a path, or a name given to parseRubricFile). */
  source: string;
  /** The file's agreement_floor, when it sets one: rubric pairs need human agreement above it (default 0.5). */
  agreementFloor?: number;
  rubrics: readonly Rubric[];
}

/** A rubric file that did not validate; `problems` lists each one as `path: what was expected`. */
export class RubricFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `rubric file ${source} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nFix these entries and restart; collector-config/rubrics.yaml documents every field.',
    );
    this.name = 'RubricFileError';
  }
}

/** Reads and validates a rubric file. Throws RubricFileError listing every problem. */
export function loadRubricFile(path: string): RubricSet {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read rubric file ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseRubricFile(bytes, path);
}

/** Validates rubric file text (or bytes); `source` names it in errors. */
export function parseRubricFile(text: string | Uint8Array, source = '<rubrics>'): RubricSet {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text);
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const doc = parseDocument(bytes.toString('utf8'));
  if (doc.errors.length > 0) {
    throw new RubricFileError(
      source,
      doc.errors.map((e) => `yaml (line ${e.linePos?.[0]?.line ?? '?'}): ${e.message.split('\n')[0]}`),
    );
  }
  const problems: string[] = [];
  const top = fileSchema.safeParse(doc.toJS());
  if (!top.success) throw new RubricFileError(source, formatIssues(top.error.issues, []));
  const rubrics: Rubric[] = [];
  const seen = new Map<string, number>();
  top.data.rubrics.forEach((raw, i) => {
    const at: PropertyKey[] = ['rubrics', i];
    const parsed = rubricSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...formatIssues(parsed.error.issues, at));
      return;
    }
    const r = parsed.data;
    const first = seen.get(r.id);
    if (first !== undefined)
      problems.push(`${formatPath([...at, 'id'])}: duplicate id "${r.id}" (also rubrics[${first}])`);
    else seen.set(r.id, i);
    const rubric = buildRubric(r, hash, at, problems);
    if (rubric) rubrics.push(rubric);
  });
  if (problems.length > 0) throw new RubricFileError(source, problems);
  return Object.freeze({
    hash,
    source,
    ...(top.data.agreement_floor !== undefined ? { agreementFloor: top.data.agreement_floor } : {}),
    rubrics: Object.freeze(rubrics),
  });
}

function buildRubric(
  r: z.infer<typeof rubricSchema>,
  hash: string,
  at: PropertyKey[],
  problems: string[],
): Rubric | null {
  const base = {
    id: r.id,
    version: r.version === undefined ? hash : String(r.version),
    description: r.description,
    evaluator: r.evaluator,
    appliesTo: {
      spanKinds: r.applies_to.span_kind,
      models: r.applies_to.model,
      services: r.applies_to.service,
      attributes: r.applies_to.attributes,
    },
    threshold: r.threshold,
    critical: r.critical,
    noiseFloor: r.noise_floor,
    gateTolerance: r.gate_tolerance ?? r.noise_floor,
    pairs: r.pairs === false ? null : r.pairs,
  };
  if (r.evaluator === LLM_JUDGE) {
    if (r.params !== undefined)
      problems.push(`${formatPath([...at, 'params'])}: llm_judge takes its settings under judge`);
    const judge = judgeSchema.safeParse(r.judge);
    if (!judge.success) {
      problems.push(...formatIssues(judge.error.issues, [...at, 'judge']));
      return null;
    }
    return {
      ...base,
      annotatorKind: 'LLM',
      params: undefined,
      higherIsBetter: (r.direction ?? 'higher_is_better') === 'higher_is_better',
      judge: judge.data,
    };
  }
  const evaluator = EVALUATORS.get(r.evaluator);
  if (!evaluator) {
    problems.push(
      `${formatPath([...at, 'evaluator'])}: unknown evaluator "${r.evaluator}"; expected one of ${[...EVALUATORS.keys(), LLM_JUDGE].join(', ')}`,
    );
    return null;
  }
  if (r.judge !== undefined)
    problems.push(`${formatPath([...at, 'judge'])}: only llm_judge rubrics take a judge`);
  const params = evaluator.params.safeParse(r.params);
  if (!params.success) {
    problems.push(...formatIssues(params.error.issues, [...at, 'params']));
    return null;
  }
  return {
    ...base,
    annotatorKind: 'CODE',
    params: params.data,
    higherIsBetter: (r.direction ?? evaluator.defaultDirection) === 'higher_is_better',
    judge: null,
  };
}

/** zod issues as `rubrics[2].threshold: expected number`. */
function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[]): string[] {
  return issues.map((issue) => {
    const path = formatPath([...prefix, ...issue.path]) || '(file)';
    let what = issue.message;
    if (issue.code === 'invalid_type')
      what = `expected ${issue.expected}${/received undefined/.test(issue.message) ? ' (missing)' : ''}`;
    else if (issue.code === 'unrecognized_keys')
      what = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    else if (issue.code === 'invalid_value')
      what = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    else what = what.replace(/^Invalid input: /, '');
    return `${path}: ${what}`;
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}
