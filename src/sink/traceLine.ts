// Encodes a span's otel_traces row straight into its JSONCompactEachRow line (the sink's hot path, pure).
import { attributeToString } from '../normalize/attributeToString.js';
import type { AttrMap, ChatMessage, SpanRecord } from '../normalize/types.js';
import { forEachAddedAttribute } from '../score/evaluationAttributes.js';
import { isVerbatim, jsonString, JsonStringMemo, toJson } from './jsonString.js';
import { clampUInt32, dateTime64Text, spanKindName, statusCodeName } from './rows.js';

/** Attribute keys (with their colon) recur on every span: LLM conventions and `evaluations.{i}.evaluation.*`. */
const keys = new JsonStringMemo(':');
/** Values that recur from span to span: resource attributes and the rubric results prefloop adds. */
const values = new JsonStringMemo();

/**
 * The JSONCompactEachRow line (no newline) of `traceRow(r)`: byte for byte what `JSON.stringify(Object.values(
 * traceRow(r)))` writes (test/unit/sink/traceLine.test.ts holds the two together), without building the row.
 * Why: a scored span's SpanAttributes has ~60 keys, an object that size is in V8's dictionary mode, which
 * JSON.stringify walks slowly, and most of the row's strings need no escaping or recur (see jsonString.ts).
 */
export function traceLine(r: SpanRecord): string {
  const s = r.span;
  const duration = s.endTimeUnixNano > s.startTimeUnixNano ? s.endTimeUnixNano - s.startTimeUnixNano : 0n;
  // Decimal digits and the pdata kind/status names need no escaping.
  return (
    '["' +
    dateTime64Text(s.startTimeUnixNano) +
    '",' +
    jsonString(s.traceId) +
    ',' +
    jsonString(s.spanId) +
    ',' +
    jsonString(s.parentSpanId) +
    ',' +
    jsonString(s.traceState) +
    ',' +
    jsonString(s.name) +
    ',"' +
    spanKindName(s.kind) +
    '",' +
    values.get(r.serviceName) +
    ',' +
    mapJson(s.resource, values) +
    ',' +
    values.get(s.scopeName) +
    ',' +
    values.get(s.scopeVersion) +
    ',' +
    spanAttributesJson(r) +
    ',"' +
    duration.toString() +
    '","' +
    statusCodeName(s.statusCode) +
    '",' +
    jsonString(s.statusMessage) +
    ',' +
    eventsJson(r) +
    ',' +
    linksJson(r) +
    ',' +
    values.get(r.llmKind) +
    ',' +
    (r.isLlm ? '1' : '0') +
    ',' +
    jsonString(r.sessionId) +
    ',' +
    jsonString(r.userId) +
    ',' +
    values.get(r.model) +
    ',' +
    promptMessagesJson(r.prompt) +
    ',' +
    jsonString(r.response) +
    ',' +
    (r.documents.length === 0 ? '"[]"' : JSON.stringify(toJson(r.documents))) +
    ',' +
    jsonString(r.promptHash) +
    ',' +
    jsonString(r.promptClass) +
    ',' +
    String(clampUInt32(r.tokensPrompt)) +
    ',' +
    String(clampUInt32(r.tokensCompletion)) +
    ']'
  );
}

/** An attribute map as the JSON object `flattenAttributes` gives JSON.stringify (same keys, same order). */
function mapJson(attributes: AttrMap, memo?: JsonStringMemo): string {
  let out = '';
  for (const key in attributes) {
    const text = attributeToString(attributes[key] ?? null);
    out += (out === '' ? '{' : ',') + keys.get(key) + (memo ? memo.get(text) : jsonString(text));
  }
  return out === '' ? '{}' : out + '}';
}

/**
 * SpanAttributes: the span's own attributes, then those prefloop added — appended, as the row object does:
 * the added keys are `evaluations.{i}.evaluation.*` at indices past every one the span has, so they are never
 * one of its keys, an array index or `__proto__`.
 */
function spanAttributesJson(r: SpanRecord): string {
  const head = mapJson(r.span.attributes);
  if (!r.addedEvaluations) return head;
  let tail = '';
  forEachAddedAttribute(r, (key, value) => {
    tail += ',' + keys.get(key) + values.get(attributeToString(value));
  });
  if (tail === '') return head;
  return head === '{}' ? '{' + tail.slice(1) + '}' : head.slice(0, -1) + tail + '}';
}

/**
 * PromptMessages: the JSON text of the messages, as a JSON string. When no role or content needs escaping,
 * the only characters the outer encoding escapes are the inner quotes, so both layers are written at once
 * (the text would otherwise be escaped twice, the costliest part of a row).
 */
function promptMessagesJson(prompt: readonly ChatMessage[]): string {
  let out = '"[';
  for (let i = 0; i < prompt.length; i++) {
    const m = prompt[i]!;
    if (!isVerbatim(m.role) || !isVerbatim(m.content))
      return JSON.stringify(toJson(prompt.map((p) => ({ role: p.role, content: p.content }))));
    out +=
      (i === 0 ? '{\\"role\\":\\"' : ',{\\"role\\":\\"') +
      m.role +
      '\\",\\"content\\":\\"' +
      m.content +
      '\\"}';
  }
  return out + ']"';
}

function eventsJson(r: SpanRecord): string {
  const events = r.span.events;
  // Nearly every span has none: no arrays to build for the three columns.
  if (events.length === 0) return '[],[],[]';
  return (
    '[' +
    events.map((e) => '"' + dateTime64Text(e.timeUnixNano) + '"').join(',') +
    '],' +
    toJson(events.map((e) => e.name)) +
    ',[' +
    events.map((e) => mapJson(e.attributes)).join(',') +
    ']'
  );
}

function linksJson(r: SpanRecord): string {
  const links = r.span.links;
  if (links.length === 0) return '[],[],[],[]';
  return (
    toJson(links.map((l) => l.traceId)) +
    ',' +
    toJson(links.map((l) => l.spanId)) +
    ',' +
    toJson(links.map((l) => l.traceState)) +
    ',[' +
    links.map((l) => mapJson(l.attributes)).join(',') +
    ']'
  );
}
