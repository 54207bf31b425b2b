// Reads a `POST /v1/score` body into items to score, or every problem with its item index. Pure.
import type { AttrMap, ChatMessage } from '../records/types.js';

/** One completion to score, as the request gave it. */
export interface ScoreItem {
  /** The conversation the completion answers; a string prompt is one user message. */
  prompt: ChatMessage[];
  completion: string;
  /** Retrieved documents (or any grounding text) the completion should rest on. */
  context: string[];
  /** Optional model and service names, for rubrics whose applies_to selects by them. */
  model: string;
  service: string;
  /**
   * Span attributes the pipeline would see on the span (strings, numbers, booleans), for rubrics that read
   * them: `applies_to.attributes`, and `format_adherence` judging JSON only where `llm.invocation_parameters`
   * asked for it. Without them such a rubric scores the item as a span without those attributes.
   */
  attributes: AttrMap;
}

export interface ScoreRequest {
  items: ScoreItem[];
  /** The body was one object (answered as a batch of one all the same). */
  single: boolean;
  /** The body asked for the judge rubrics too (`"judges": true`). */
  judges: boolean;
}

/** A body that cannot be scored as a whole; `problems` names each item and field. */
export class ScoreRequestError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(message);
    this.name = 'ScoreRequestError';
  }
}

const ITEM_KEYS = new Set(['prompt', 'completion', 'context', 'model', 'service', 'attributes', 'judges']);
const WRAPPER_KEYS = new Set(['items', 'judges']);

/**
 * Why `store` is refused rather than ignored: a trainer's rollouts are not production traffic. Stored as spans
 * they would feed Path A pairs, failure clusters, readiness and the online gate scores, which all read every
 * LLM span; a caller who does want them stored sends them as spans to /v1/traces under their own service.
 */
const STORE_REFUSED =
  'unknown key: /v1/score never writes to the store (rollouts are not production traffic); send spans to /v1/traces to store them';

/**
 * The body is one item `{prompt, completion, context?}`, an array of items, or `{items: [...], judges?}`.
 * Every problem of every item is listed (`items[3].completion: expected a string`), so a trainer fixes its
 * batch in one go; nothing is scored unless every item is valid.
 */
export function parseScoreRequest(body: unknown, maxItems: number): ScoreRequest {
  let raw: unknown[];
  let single = false;
  let judges = false;
  const problems: string[] = [];
  if (Array.isArray(body)) raw = body;
  else if (isObject(body) && 'items' in body) {
    for (const k of Object.keys(body))
      if (k === 'store') problems.push(`store: ${STORE_REFUSED}`);
      else if (!WRAPPER_KEYS.has(k)) problems.push(`${k}: unknown key (expected items, judges)`);
    judges = readJudges(body.judges, 'judges', problems);
    if (!Array.isArray(body.items)) throw new ScoreRequestError('items must be an array', problems);
    raw = body.items;
  } else if (isObject(body)) {
    raw = [body];
    single = true;
  } else {
    throw new ScoreRequestError(
      'the body must be an item {prompt, completion, context?} or an array of them',
      [],
    );
  }
  if (raw.length === 0) problems.push('the batch is empty: send at least one item');
  if (raw.length > maxItems)
    throw new ScoreRequestError(`at most ${maxItems} items per request, got ${raw.length}`, []);
  const items: ScoreItem[] = [];
  raw.forEach((value, i) => {
    const at = single ? '' : `items[${i}]`;
    const item = readItem(value, at, problems);
    if (single && isObject(value)) judges = readJudges(value.judges, field(at, 'judges'), problems);
    else if (isObject(value) && value.judges !== undefined)
      problems.push(
        `${field(at, 'judges')}: ask for judges once, in the query (?judges=true) or the wrapper`,
      );
    if (item) items.push(item);
  });
  if (problems.length > 0)
    throw new ScoreRequestError(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the request; nothing was scored`,
      problems,
    );
  return { items, single, judges };
}

function readItem(value: unknown, at: string, problems: string[]): ScoreItem | null {
  if (!isObject(value)) {
    problems.push(`${at || '(body)'}: expected an object {prompt, completion, context?}`);
    return null;
  }
  const before = problems.length;
  for (const k of Object.keys(value))
    if (k === 'store') problems.push(`${field(at, k)}: ${STORE_REFUSED}`);
    else if (!ITEM_KEYS.has(k))
      problems.push(
        `${field(at, k)}: unknown key (expected prompt, completion, context, model, service, attributes)`,
      );
  const prompt = readPrompt(value.prompt, field(at, 'prompt'), problems);
  if (typeof value.completion !== 'string')
    problems.push(
      `${field(at, 'completion')}: expected a string${value.completion === undefined ? ' (missing)' : ''}`,
    );
  const context: string[] = [];
  if (value.context !== undefined) {
    if (!Array.isArray(value.context)) problems.push(`${field(at, 'context')}: expected an array of strings`);
    else
      value.context.forEach((c, j) => {
        if (typeof c === 'string') context.push(c);
        else problems.push(`${field(at, 'context')}[${j}]: expected a string`);
      });
  }
  for (const k of ['model', 'service'] as const)
    if (value[k] !== undefined && typeof value[k] !== 'string')
      problems.push(`${field(at, k)}: expected a string`);
  const attributes = readAttributes(value.attributes, field(at, 'attributes'), problems);
  if (problems.length > before || !prompt) return null;
  return {
    prompt,
    completion: value.completion as string,
    context,
    model: (value.model as string | undefined) ?? '',
    service: (value.service as string | undefined) ?? '',
    attributes,
  };
}

/** `{key: string | number | boolean}`: the flat attribute values a span carries and applies_to compares. */
function readAttributes(value: unknown, at: string, problems: string[]): AttrMap {
  if (value === undefined) return {};
  if (!isObject(value)) {
    problems.push(`${at}: expected an object {key: string, number or boolean}`);
    return {};
  }
  const out: AttrMap = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))
      out[k] = v;
    else problems.push(`${at}.${k}: expected a string, number or boolean`);
  }
  return out;
}

function readPrompt(value: unknown, at: string, problems: string[]): ChatMessage[] | null {
  if (typeof value === 'string') {
    if (value === '') problems.push(`${at}: is empty`);
    return [{ role: 'user', content: value }];
  }
  if (!Array.isArray(value)) {
    problems.push(
      `${at}: expected a string or an array of {role, content} messages${value === undefined ? ' (missing)' : ''}`,
    );
    return null;
  }
  if (value.length === 0) problems.push(`${at}: has no messages`);
  const out: ChatMessage[] = [];
  value.forEach((m, j) => {
    if (!isObject(m) || typeof m.role !== 'string' || m.role === '' || typeof m.content !== 'string') {
      problems.push(`${at}[${j}]: expected {role: non-empty string, content: string}`);
      return;
    }
    out.push({ role: m.role, content: m.content });
  });
  return out;
}

function readJudges(value: unknown, at: string, problems: string[]): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    problems.push(`${at}: expected true or false`);
    return false;
  }
  return value;
}

function field(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
