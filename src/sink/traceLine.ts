// Encodes a span's otel_traces row straight into its JSONCompactEachRow line (the sink's hot path, pure).
import { attributeToString } from '../records/attributeToString.js';
import type { AttrMap, ChatMessage, SpanRecord } from '../records/types.js';
import { EvaluationText } from './evaluationText.js';
import { isVerbatim, jsonString, JsonStringMemo, toJson } from './jsonString.js';
import { LineBuffer } from './LineBuffer.js';
import { clampUInt32, dateTime64Text, spanKindName, statusCodeName } from './rows.js';

/**
 * The JSONCompactEachRow line (no newline) of `traceRow(r)`: byte for byte what `JSON.stringify(Object.values(
 * traceRow(r)))` writes (test/unit/sink/traceLine.test.ts holds the two together), without building the row.
 * Why: a scored span's SpanAttributes has ~60 keys, an object that size is in V8's dictionary mode, which
 * JSON.stringify walks slowly, and most of the row's strings need no escaping or recur (see jsonString.ts).
 */
export function traceLine(r: SpanRecord, writer = new TraceLineWriter()): string {
  const out = new LineBuffer(1, 4096);
  writer.write(r, out);
  const bytes = out.finish();
  return bytes.toString('utf8', 0, bytes.length - 1);
}

/**
 * Writes spans' otel_traces rows. What recurs from span to span is remembered here, one writer per sink (or
 * exporter), never in module state: attribute keys, values, the resource columns of a run of spans, the
 * results prefloop adds.
 */
export class TraceLineWriter {
  /** Attribute keys (with their colon) recur on every span: LLM conventions and `evaluations.{i}.evaluation.*`. */
  private readonly keys = new JsonStringMemo(':');
  /** Values that recur from span to span: resource attributes and the rubric results prefloop adds. */
  private readonly values = new JsonStringMemo();
  private readonly results = new EvaluationText(this.values);
  private shared: SharedColumns = {
    resource: undefined,
    serviceName: '',
    scopeName: '',
    scopeVersion: '',
    json: '',
  };
  /** knownVerbatim's list, reused from line to line (a line is written synchronously, start to end). */
  private readonly lineKnown: string[] = [];

  /** Writes `traceLine(r)` and its newline into `out` (the sink's hot path). */
  write(r: SpanRecord, out: LineBuffer): void {
    const s = r.span;
    const duration = s.endTimeUnixNano > s.startTimeUnixNano ? s.endTimeUnixNano - s.startTimeUnixNano : 0n;
    // Decimal digits and the pdata kind/status names need no escaping.
    out.append(
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
        this.sharedColumns(r),
    );
    const known = this.knownVerbatim(r);
    this.writeSpanAttributes(r, out, known);
    out.append(',"' + duration.toString() + '","' + statusCodeName(s.statusCode) + '",');
    writeJsonString(s.statusMessage, out);
    out.append(
      ',' +
        this.eventsJson(r) +
        ',' +
        this.linksJson(r) +
        ',' +
        this.values.get(r.llmKind) +
        ',' +
        (r.isLlm ? '1' : '0') +
        ',' +
        jsonString(r.sessionId) +
        ',' +
        jsonString(r.userId) +
        ',' +
        this.values.get(r.model) +
        ',',
    );
    writePromptMessages(r.prompt, out, known);
    out.append(',');
    writeJsonString(r.response, out, known);
    out.append(
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
        ']',
    );
    out.endLine();
  }

  private sharedColumns(r: SpanRecord): string {
    const s = r.span;
    const last = this.shared;
    if (
      last.resource === s.resource &&
      last.serviceName === r.serviceName &&
      last.scopeName === s.scopeName &&
      last.scopeVersion === s.scopeVersion
    )
      return last.json;
    const json =
      this.values.get(r.serviceName) +
      ',' +
      this.mapJson(s.resource, this.values) +
      ',' +
      this.values.get(s.scopeName) +
      ',' +
      this.values.get(s.scopeVersion) +
      ',';
    this.shared = {
      resource: s.resource,
      serviceName: r.serviceName,
      scopeName: s.scopeName,
      scopeVersion: s.scopeVersion,
      json,
    };
    return json;
  }

  /**
   * The texts of `r`'s line known to need no escaping: its verbatimTexts (the prompt's contents) and its
   * response once tested here. Why test the response up front: it is written three times (output.value, the
   * output message's content, the Response column), and each write would otherwise test it again.
   */
  private knownVerbatim(r: SpanRecord): readonly string[] {
    this.lineKnown.length = 0;
    const given = r.verbatimTexts;
    if (given !== undefined) for (let i = 0; i < given.length; i++) this.lineKnown.push(given[i]!);
    const response = r.response;
    if (response.length >= KNOWN_MIN && !isKnownVerbatim(response, this.lineKnown) && isVerbatim(response))
      this.lineKnown.push(response);
    return this.lineKnown;
  }

  /** An attribute map as the JSON object `flattenAttributes` gives JSON.stringify (same keys, same order). */
  private mapJson(attributes: AttrMap, memo?: JsonStringMemo): string {
    let out = '';
    for (const key in attributes) {
      const text = attributeToString(attributes[key] ?? null);
      out += (out === '' ? '{' : ',') + this.keys.get(key) + (memo ? memo.get(text) : jsonString(text));
    }
    return out === '' ? '{}' : out + '}';
  }

  /**
   * SpanAttributes: the span's own attributes, then those prefloop added — appended, as the row object does:
   * the added keys are `evaluations.{i}.evaluation.*` at indices past every one the span has, so they are never
   * one of its keys, an array index or `__proto__`.
   */
  private writeSpanAttributes(r: SpanRecord, out: LineBuffer, known: readonly string[]): void {
    const attributes = r.span.attributes;
    let first = true;
    for (const key in attributes) {
      out.append((first ? '{' : ',') + this.keys.get(key));
      writeJsonString(attributeToString(attributes[key] ?? null), out, known);
      first = false;
    }
    if (r.addedEvaluations) {
      for (const { start, results, setHash } of r.addedEvaluations) {
        for (let n = 0; n < results.length; n++) {
          // Each result starts with its comma; the map's first entry takes the brace instead.
          const result = this.results.resultText(start + n, results[n]!, setHash);
          if (typeof result === 'string') out.append(first ? '{' + result.slice(1) : result);
          else if (first) {
            out.append('{');
            out.appendBytes(result.subarray(1));
          } else out.appendBytes(result);
          first = false;
        }
      }
    }
    out.append(first ? '{}' : '}');
  }

  private eventsJson(r: SpanRecord): string {
    const events = r.span.events;
    // Nearly every span has none: no arrays to build for the three columns.
    if (events.length === 0) return '[],[],[]';
    return (
      '[' +
      events.map((e) => '"' + dateTime64Text(e.timeUnixNano) + '"').join(',') +
      '],' +
      toJson(events.map((e) => e.name)) +
      ',[' +
      events.map((e) => this.mapJson(e.attributes)).join(',') +
      ']'
    );
  }

  private linksJson(r: SpanRecord): string {
    const links = r.span.links;
    if (links.length === 0) return '[],[],[],[]';
    return (
      toJson(links.map((l) => l.traceId)) +
      ',' +
      toJson(links.map((l) => l.spanId)) +
      ',' +
      toJson(links.map((l) => l.traceState)) +
      ',[' +
      links.map((l) => this.mapJson(l.attributes)).join(',') +
      ']'
    );
  }
}

/**
 * ServiceName, ResourceAttributes, ScopeName and ScopeVersion with their commas: the same for every span of
 * a ResourceSpans (its spans share one resource object), so joined once for a run of such spans rather
 * than walked per span. A span with another resource, service or scope (a masked span has its own copy)
 * is joined anew. Decoded records are never changed in place, so an identical object has identical text.
 */
interface SharedColumns {
  resource: AttrMap | undefined;
  serviceName: string;
  scopeName: string;
  scopeVersion: string;
  json: string;
}

/** Text at least this long is written straight into the buffer (see LineBuffer.appendLong). */
const LONG_TEXT = 128;

/**
 * `jsonString(text)` into `out`, long text (escaped or not) written straight into the buffer. `known`: texts
 * already found to need no escaping (knownVerbatim's), which are not tested again.
 */
function writeJsonString(text: string, out: LineBuffer, known?: readonly string[]): void {
  if (!isKnownVerbatim(text, known) && !isVerbatim(text)) {
    // Not jsonString(text): its own verbatim test would read the text again up to its first escape.
    const json = toJson(text);
    if (json.length < LONG_TEXT) out.append(json);
    else out.appendLong(json);
  } else if (text.length < LONG_TEXT) out.append('"' + text + '"');
  else {
    out.append('"');
    out.appendLong(text);
    out.append('"');
  }
}

/** Texts shorter than this are tested rather than looked for in a record's verbatimTexts. */
const KNOWN_MIN = 24;

/**
 * Whether `text` is one of `known`. Why a scan: a record knows a few texts (its prompt contents), and a
 * comparison with a text of another length ends at once, where the verbatim test reads every character.
 */
function isKnownVerbatim(text: string, known: readonly string[] | undefined): boolean {
  if (known === undefined || text.length < KNOWN_MIN) return false;
  for (let i = 0; i < known.length; i++) if (known[i] === text) return true;
  return false;
}

/**
 * PromptMessages: the JSON text of the messages, as a JSON string. When no role or content needs escaping,
 * the only characters the outer encoding escapes are the inner quotes, so both layers are written at once
 * (the text would otherwise be escaped twice, the costliest part of a row).
 */
function writePromptMessages(
  prompt: readonly ChatMessage[],
  out: LineBuffer,
  known: readonly string[] | undefined,
): void {
  for (const m of prompt) {
    if (!isVerbatim(m.role) || !(isKnownVerbatim(m.content, known) || isVerbatim(m.content))) {
      out.appendLong(JSON.stringify(toJson(prompt.map((p) => ({ role: p.role, content: p.content })))));
      return;
    }
  }
  out.append('"[');
  for (let i = 0; i < prompt.length; i++) {
    const m = prompt[i]!;
    out.append((i === 0 ? '{\\"role\\":\\"' : ',{\\"role\\":\\"') + m.role + '\\",\\"content\\":\\"');
    if (m.content.length < LONG_TEXT) out.append(m.content);
    else out.appendLong(m.content);
    out.append('\\"}');
  }
  out.append(']"');
}
