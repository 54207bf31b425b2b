// Masks spans and feedback before anything is stored or forwarded: OpenInference hide_* options plus
// match-and-redact patterns. Pure: never mutates its input, copies only what it changes.
import { GENAI, METRICS, OI } from '../names.js';
import type { AttrMap, AttrValue, DecodedSpan, FeedbackRecord } from '../records/types.js';
import type { Metrics } from '../observe/Metrics.js';
import { builtinPatterns } from './builtinPatterns.js';
import type { MaskPattern } from './builtinPatterns.js';
import type { MaskingConfig } from './maskingConfig.js';

/** Redactions by reason (`hide_inputs`, `pattern:emails`, …): the caller adds them to its metrics. */
export type RedactionTally = Map<string, number>;

/** Nested values deeper than this are replaced whole: masking fails closed rather than recursing forever. */
export const MAX_MASK_DEPTH = 64;

/** Counter the pipeline reports redactions to, labelled by reason. */
export const MASKED_VALUES_METRIC = METRICS.masking.maskedValues;

type KeyRule = { action: 'hide' | 'drop'; reason: string } | undefined;

/** A masking config with its regexes compiled and key rules resolved, for the hot path. */
export interface CompiledMasking {
  readonly active: boolean;
  readonly replacement: string;
  readonly patterns: readonly MaskPattern[];
  keyRule(key: string): KeyRule;
}

const compiledCache = new WeakMap<MaskingConfig, CompiledMasking>();

/** Compiles a config once (cached per config object, so passing the config itself is cheap too). */
export function compileMasking(config: MaskingConfig): CompiledMasking {
  const cached = compiledCache.get(config);
  if (cached) return cached;
  const hideKeys = new Map<string, string>();
  const dropKeys = new Map<string, string>();
  const dropPrefixes: [string, string][] = [];
  /** Keys matched by pattern (indexed message parts), each with what to do; tried after the above. */
  const keyPatterns: { re: RegExp; rule: NonNullable<KeyRule> }[] = [];
  const dropPrefix = (key: string, reason: string): void => {
    dropKeys.set(key, reason);
    dropPrefixes.push([`${key}.`, reason]);
  };
  const inputMessagesReason = config.hide_inputs ? 'hide_inputs' : 'hide_input_messages';
  const outputMessagesReason = config.hide_outputs ? 'hide_outputs' : 'hide_output_messages';
  if (config.hide_inputs) {
    for (const key of [OI.inputValue, GENAI.prompt, GENAI.systemInstructions, OI.promptTemplateVariables])
      hideKeys.set(key, 'hide_inputs');
  }
  if (config.hide_outputs) {
    for (const key of [OI.outputValue, GENAI.completion]) hideKeys.set(key, 'hide_outputs');
  }
  if (config.hide_inputs || config.hide_input_messages) {
    dropPrefix(OI.inputMessages, inputMessagesReason);
    dropKeys.set(GENAI.inputMessages, inputMessagesReason);
    // The indexed GenAI form (gen_ai.prompt.0.content, OpenLLMetry's), which the normaliser reads as the prompt.
    dropPrefixes.push([`${GENAI.prompt}.`, inputMessagesReason]);
  }
  if (config.hide_outputs || config.hide_output_messages) {
    dropPrefix(OI.outputMessages, outputMessagesReason);
    dropKeys.set(GENAI.outputMessages, outputMessagesReason);
    dropPrefixes.push([`${GENAI.completion}.`, outputMessagesReason]);
  }
  // Completions-API prompts and choices are inputs and outputs too: hidden with them, or on their own.
  if (config.hide_inputs || config.hide_prompts)
    dropPrefix(OI.prompts, config.hide_inputs ? 'hide_inputs' : 'hide_prompts');
  if (config.hide_outputs || config.hide_choices)
    dropPrefix(OI.choices, config.hide_outputs ? 'hide_outputs' : 'hide_choices');
  if (config.hide_llm_invocation_parameters)
    hideKeys.set(OI.invocationParameters, 'hide_llm_invocation_parameters');
  // Message text hidden, roles and order kept (when the messages are not dropped whole). GenAI's JSON
  // message lists cannot be split by key, so they are replaced whole.
  for (const [on, reason, messages, legacy, genAiJson] of [
    [config.hide_input_text, 'hide_input_text', OI.inputMessages, GENAI.prompt, GENAI.inputMessages],
    [config.hide_output_text, 'hide_output_text', OI.outputMessages, GENAI.completion, GENAI.outputMessages],
  ] as const) {
    if (!on) continue;
    const rule = { action: 'hide', reason } as const;
    keyPatterns.push({ re: keyRegex([messages, INDEX, OI.messageContent]), rule });
    keyPatterns.push({ re: keyRegex([messages, INDEX, OI.messageContents, INDEX, OI.contentText]), rule });
    keyPatterns.push({ re: keyRegex([legacy, INDEX, 'content']), rule });
    // Where hide_inputs (hide_outputs) already drops or hides a key, that stays its rule and reason. The flat
    // legacy key (gen_ai.prompt) holds a JSON message list too.
    for (const key of [genAiJson, legacy])
      if (!dropKeys.has(key) && !hideKeys.has(key)) hideKeys.set(key, reason);
    if (reason === 'hide_input_text' && !hideKeys.has(GENAI.systemInstructions))
      hideKeys.set(GENAI.systemInstructions, reason);
  }
  if (config.hide_input_images) {
    keyPatterns.push({
      re: keyRegex([OI.inputMessages, INDEX, OI.messageContents, INDEX, OI.contentImage], true),
      rule: { action: 'drop', reason: 'hide_input_images' },
    });
  }
  if (config.hide_embedding_vectors) {
    keyPatterns.push({
      re: keyRegex([OI.embeddings, INDEX, OI.embeddingVector]),
      rule: { action: 'drop', reason: 'hide_embedding_vectors' },
    });
  }
  if (config.hide_embeddings_text) {
    keyPatterns.push({
      re: keyRegex([OI.embeddings, INDEX, OI.embeddingText]),
      rule: { action: 'hide', reason: 'hide_embeddings_text' },
    });
  }
  const patterns = [
    ...builtinPatterns(config.builtin_patterns, config.replacement),
    ...config.patterns.map((p): MaskPattern => ({
      name: p.name,
      regex: new RegExp(p.regex, p.flags + 'g'),
      replacement: p.replacement ?? config.replacement,
    })),
  ];
  const compiled: CompiledMasking = {
    active: hideKeys.size + dropKeys.size + keyPatterns.length + patterns.length > 0,
    replacement: config.replacement,
    patterns,
    keyRule(key) {
      const hide = hideKeys.get(key);
      if (hide !== undefined) return { action: 'hide', reason: hide };
      const drop = dropKeys.get(key);
      if (drop !== undefined) return { action: 'drop', reason: drop };
      for (const [prefix, reason] of dropPrefixes)
        if (key.startsWith(prefix)) return { action: 'drop', reason };
      for (const { re, rule } of keyPatterns) if (re.test(key)) return rule;
      return undefined;
    },
  };
  compiledCache.set(config, compiled);
  return compiled;
}

/** Stands for any index in keyRegex's parts. */
const INDEX = Symbol('index');

/**
 * The exact key `parts` joined by dots, INDEX matching any index: keyRegex([OI.embeddings, INDEX,
 * OI.embeddingVector]) matches `embedding.embeddings.3.embedding.vector`. With `deeper`, keys below it too.
 */
function keyRegex(parts: readonly (string | typeof INDEX)[], deeper = false): RegExp {
  const source = parts.map((p) => (p === INDEX ? '\\d+' : escapeRegex(p))).join('\\.');
  return new RegExp(`^${source}${deeper ? '(?:\\..*)?' : ''}$`);
}

/**
 * Returns the span with hidden attributes replaced or dropped and every pattern match redacted in
 * span, event, link and resource attributes and the status message. The input is never changed;
 * an untouched span is returned as is. Redactions are added to `tally` when given.
 */
export function maskSpan(
  span: DecodedSpan,
  config: MaskingConfig | CompiledMasking,
  tally?: RedactionTally,
): DecodedSpan {
  const c = isCompiled(config) ? config : compileMasking(config);
  if (!c.active) return span;
  const attributes = maskAttrs(span.attributes, c, tally, true);
  const resource = maskAttrs(span.resource, c, tally, false);
  const statusMessage = maskString(span.statusMessage, c, tally);
  let events = span.events;
  for (let i = 0; i < span.events.length; i++) {
    const event = span.events[i]!;
    const masked = maskAttrs(event.attributes, c, tally, true);
    if (masked !== event.attributes) {
      if (events === span.events) events = span.events.slice();
      events[i] = { ...event, attributes: masked };
    }
  }
  let links = span.links;
  for (let i = 0; i < span.links.length; i++) {
    const link = span.links[i]!;
    const masked = maskAttrs(link.attributes, c, tally, false);
    if (masked !== link.attributes) {
      if (links === span.links) links = span.links.slice();
      links[i] = { ...link, attributes: masked };
    }
  }
  if (
    attributes === span.attributes &&
    resource === span.resource &&
    statusMessage === span.statusMessage &&
    events === span.events &&
    links === span.links
  ) {
    return span;
  }
  return { ...span, attributes, resource, statusMessage, events, links };
}

/**
 * Redacts pattern matches in a feedback record's label, explanation and metadata (JSON values are
 * masked one by one so the metadata stays valid JSON). Ids are kept: they join feedback to spans.
 */
export function maskFeedback(
  feedback: FeedbackRecord,
  config: MaskingConfig | CompiledMasking,
  tally?: RedactionTally,
): FeedbackRecord {
  const c = isCompiled(config) ? config : compileMasking(config);
  if (c.patterns.length === 0) return feedback;
  const label = maskString(feedback.label, c, tally);
  const explanation = maskString(feedback.explanation, c, tally);
  const metadata = maskJsonText(feedback.metadata, c, tally);
  if (label === feedback.label && explanation === feedback.explanation && metadata === feedback.metadata)
    return feedback;
  return { ...feedback, label, explanation, metadata };
}

/** Adds a tally to the metrics registry as `prefloop_masked_values_total{reason=…}`. */
export function recordRedactions(metrics: Metrics, tally: RedactionTally): void {
  metrics.counter(MASKED_VALUES_METRIC, 'Values hidden or redacted by masking before storage, by reason.');
  for (const [reason, n] of tally) metrics.inc(MASKED_VALUES_METRIC, n, { reason });
}

function maskAttrs(
  attrs: AttrMap,
  c: CompiledMasking,
  tally: RedactionTally | undefined,
  keyRules: boolean,
): AttrMap {
  let out: AttrMap | undefined;
  for (const key of Object.keys(attrs)) {
    const value = attrs[key]!;
    const rule = keyRules ? c.keyRule(key) : undefined;
    let next: AttrValue | undefined;
    if (rule?.action === 'drop') {
      next = undefined;
      count(tally, rule.reason);
    } else if (rule?.action === 'hide') {
      next = c.replacement;
      if (value !== c.replacement) count(tally, rule.reason);
    } else {
      next = maskValue(value, c, tally, 0);
    }
    if (next === value) continue;
    out ??= copyAttrs(attrs);
    if (next === undefined) delete out[key];
    else setOwn(out, key, next);
  }
  return out ?? attrs;
}

function maskValue(
  value: AttrValue,
  c: CompiledMasking,
  tally: RedactionTally | undefined,
  depth: number,
): AttrValue {
  if (typeof value === 'string') return maskString(value, c, tally);
  if (typeof value === 'number' || typeof value === 'bigint') return maskNumber(value, c, tally);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (depth >= MAX_MASK_DEPTH) {
    count(tally, 'too_deep');
    return c.replacement;
  }
  if (Array.isArray(value)) {
    let out: AttrValue[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const next = maskValue(value[i]!, c, tally, depth + 1);
      if (next !== value[i]) (out ??= value.slice())[i] = next;
    }
    return out ?? value;
  }
  let out: AttrMap | undefined;
  for (const key of Object.keys(value)) {
    const next = maskValue(value[key]!, c, tally, depth + 1);
    if (next !== value[key]) setOwn((out ??= copyAttrs(value)), key, next);
  }
  return out ?? value;
}

/**
 * An integer is stored as its decimal text (a card or phone number sent as an int attribute), so patterns
 * apply to that text; a redacted one becomes the redacted string, an untouched one keeps its type. Fractions
 * are left alone: the digits of 0.8888888888888888 would read as a card number.
 */
function maskNumber(
  value: number | bigint,
  c: CompiledMasking,
  tally: RedactionTally | undefined,
): AttrValue {
  if (c.patterns.length === 0 || (typeof value === 'number' && !Number.isInteger(value))) return value;
  const text = String(value);
  const masked = maskString(text, c, tally);
  return masked === text ? value : masked;
}

function maskString(text: string, c: CompiledMasking, tally: RedactionTally | undefined): string {
  let out = text;
  for (const p of c.patterns) {
    p.regex.lastIndex = 0;
    if (!p.regex.test(out)) continue;
    out = out.replace(p.regex, (match: string) => {
      if (!p.within) {
        count(tally, `pattern:${p.name}`);
        return p.replacement;
      }
      let masked = '';
      let from = 0;
      for (const [start, end] of p.within(match)) {
        count(tally, `pattern:${p.name}`);
        masked += match.slice(from, start) + p.replacement;
        from = end;
      }
      return from === 0 ? match : masked + match.slice(from);
    });
  }
  return out;
}

function maskJsonText(text: string, c: CompiledMasking, tally: RedactionTally | undefined): string {
  if (text === '') return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return maskString(text, c, tally);
  }
  const masked = maskJson(parsed, c, tally, 0);
  return masked === parsed ? text : JSON.stringify(masked);
}

function maskJson(
  value: unknown,
  c: CompiledMasking,
  tally: RedactionTally | undefined,
  depth: number,
): unknown {
  if (typeof value === 'string') return maskString(value, c, tally);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_MASK_DEPTH) {
    count(tally, 'too_deep');
    return c.replacement;
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const next = maskJson(v, c, tally, depth + 1);
      if (next !== v) (out ??= value.slice())[i] = next;
    });
    return out ?? value;
  }
  const obj = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    const next = maskJson(obj[key], c, tally, depth + 1);
    if (next !== obj[key]) setOwn((out ??= { ...obj }) as AttrMap, key, next as AttrValue);
  }
  return out ?? value;
}

/** Copies own keys, including a hostile `__proto__` key, without touching any prototype. */
function copyAttrs(attrs: AttrMap): AttrMap {
  const out: AttrMap = {};
  for (const key of Object.keys(attrs)) setOwn(out, key, attrs[key]!);
  return out;
}

function setOwn(target: AttrMap, key: string, value: AttrValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function count(tally: RedactionTally | undefined, reason: string): void {
  if (tally) tally.set(reason, (tally.get(reason) ?? 0) + 1);
}

function isCompiled(config: MaskingConfig | CompiledMasking): config is CompiledMasking {
  return typeof (config as CompiledMasking).keyRule === 'function';
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
