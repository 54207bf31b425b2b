// Masks spans and feedback before anything is stored or forwarded: OpenInference hide_* options plus
// match-and-redact patterns. Pure: never mutates its input, copies only what it changes.
import { METRICS } from '../names.js';
import { GENAI, OI } from '../conventions.js';
import type { AttrMap, AttrValue, DecodedSpan, FeedbackRecord } from '../records/types.js';
import type { Metrics } from '../observe/Metrics.js';
import { builtinPatterns } from './builtinPatterns.js';
import type { MaskPattern } from './builtinPatterns.js';
import type { MaskingConfig } from './maskingConfig.js';

import type { CompiledMasking, KeyRule, RedactionTally } from './maskText.js';
import { copyAttrs, count, MAX_MASK_DEPTH, maskJsonText, maskString, setOwn } from './maskText.js';

export type { CompiledMasking, RedactionTally } from './maskText.js';
export { MAX_MASK_DEPTH } from './maskText.js';

/** Counter the pipeline reports redactions to, labelled by reason. */
export const MASKED_VALUES_METRIC = METRICS.masking.maskedValues;

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
  // Names and the trace state are free text a client chooses: an email in a span name is stored like any other.
  const name = maskString(span.name, c, tally);
  const traceState = maskString(span.traceState, c, tally);
  const scopeName = maskString(span.scopeName, c, tally);
  const scopeVersion = maskString(span.scopeVersion, c, tally);
  let events = span.events;
  for (let i = 0; i < span.events.length; i++) {
    const event = span.events[i]!;
    const masked = maskAttrs(event.attributes, c, tally, true);
    const eventName = maskString(event.name, c, tally);
    if (masked !== event.attributes || eventName !== event.name) {
      if (events === span.events) events = span.events.slice();
      events[i] = { ...event, name: eventName, attributes: masked };
    }
  }
  let links = span.links;
  for (let i = 0; i < span.links.length; i++) {
    const link = span.links[i]!;
    const masked = maskAttrs(link.attributes, c, tally, false);
    const linkState = maskString(link.traceState, c, tally);
    if (masked !== link.attributes || linkState !== link.traceState) {
      if (links === span.links) links = span.links.slice();
      links[i] = { ...link, traceState: linkState, attributes: masked };
    }
  }
  if (
    attributes === span.attributes &&
    resource === span.resource &&
    statusMessage === span.statusMessage &&
    name === span.name &&
    traceState === span.traceState &&
    scopeName === span.scopeName &&
    scopeVersion === span.scopeVersion &&
    events === span.events &&
    links === span.links
  ) {
    return span;
  }
  return {
    ...span,
    name,
    traceState,
    scopeName,
    scopeVersion,
    attributes,
    resource,
    statusMessage,
    events,
    links,
  };
}

/**
 * Redacts pattern matches in a feedback record's free text: name, label, explanation, metadata (JSON keys and
 * values one by one, so it stays valid JSON), and the session and annotator ids. A session id is masked exactly
 * as the span attribute it joins to (the same patterns on the same text), so session feedback still joins.
 * Trace and span ids are hex and kept.
 */
export function maskFeedback(
  feedback: FeedbackRecord,
  config: MaskingConfig | CompiledMasking,
  tally?: RedactionTally,
): FeedbackRecord {
  const c = isCompiled(config) ? config : compileMasking(config);
  if (c.patterns.length === 0) return feedback;
  const masked = {
    name: maskString(feedback.name, c, tally),
    sessionId: maskString(feedback.sessionId, c, tally),
    annotatorId: maskString(feedback.annotatorId, c, tally),
    label: maskString(feedback.label, c, tally),
    explanation: maskString(feedback.explanation, c, tally),
    metadata: maskJsonText(feedback.metadata, c, tally),
  };
  const changed = (Object.keys(masked) as (keyof typeof masked)[]).some((k) => masked[k] !== feedback[k]);
  return changed ? { ...feedback, ...masked } : feedback;
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
    // A key is free text too (`key.alice@example.com`); a masked one replaces the original.
    const maskedKey = next === undefined ? key : maskString(key, c, tally);
    if (next === value && maskedKey === key) continue;
    out ??= copyAttrs(attrs);
    if (maskedKey !== key || next === undefined) delete out[key];
    if (next !== undefined) setOwn(out, maskedKey, next);
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
    const maskedKey = maskString(key, c, tally);
    if (next === value[key] && maskedKey === key) continue;
    out ??= copyAttrs(value);
    if (maskedKey !== key) delete out[key];
    setOwn(out, maskedKey, next);
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

function isCompiled(config: MaskingConfig | CompiledMasking): config is CompiledMasking {
  return typeof (config as CompiledMasking).keyRule === 'function';
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
