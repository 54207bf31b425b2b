// Encodes a span's otel_traces row straight into its JSONCompactEachRow line (the sink's hot path, pure).
import { attributeToString } from '../records/attributeToString.js';
import type { AttrMap, ChatMessage, EvaluationRecord, SpanRecord } from '../records/types.js';
import { internalized } from '../internalized.js';
import { ANNOTATION_FIELDS, annotationKey, OI } from '../names.js';
import { CACHED_INDICES, withRubricFileHash } from '../records/evaluationAttributes.js';
import { isVerbatim, jsonString, JsonStringMemo, toJson } from './jsonString.js';
import { LineBuffer } from './LineBuffer.js';
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
  const out = new LineBuffer(1, 4096);
  writeTraceLine(r, out);
  const bytes = out.finish();
  return bytes.toString('utf8', 0, bytes.length - 1);
}

/** Writes `traceLine(r)` and its newline into `out` (the sink's hot path). */
export function writeTraceLine(r: SpanRecord, out: LineBuffer): void {
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
      sharedColumns(r),
  );
  const known = knownVerbatim(r);
  writeSpanAttributes(r, out, known);
  out.append(',"' + duration.toString() + '","' + statusCodeName(s.statusCode) + '",');
  writeJsonString(s.statusMessage, out);
  out.append(
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
let shared: SharedColumns = {
  resource: undefined,
  serviceName: '',
  scopeName: '',
  scopeVersion: '',
  json: '',
};
function sharedColumns(r: SpanRecord): string {
  const s = r.span;
  const last = shared;
  if (
    last.resource === s.resource &&
    last.serviceName === r.serviceName &&
    last.scopeName === s.scopeName &&
    last.scopeVersion === s.scopeVersion
  )
    return last.json;
  const json = internalized(
    values.get(r.serviceName) +
      ',' +
      mapJson(s.resource, values) +
      ',' +
      values.get(s.scopeName) +
      ',' +
      values.get(s.scopeVersion) +
      ',',
  );
  shared = {
    resource: s.resource,
    serviceName: r.serviceName,
    scopeName: s.scopeName,
    scopeVersion: s.scopeVersion,
    json,
  };
  return json;
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

/** knownVerbatim's list, reused from line to line (a line is written synchronously, start to end). */
const lineKnown: string[] = [];

/**
 * The texts of `r`'s line known to need no escaping: its verbatimTexts (the prompt's contents) and its
 * response once tested here. Why test the response up front: it is written three times (output.value, the
 * output message's content, the Response column), and each write would otherwise test it again.
 */
function knownVerbatim(r: SpanRecord): readonly string[] {
  lineKnown.length = 0;
  const given = r.verbatimTexts;
  if (given !== undefined) for (let i = 0; i < given.length; i++) lineKnown.push(given[i]!);
  const response = r.response;
  if (response.length >= KNOWN_MIN && !isKnownVerbatim(response, lineKnown) && isVerbatim(response))
    lineKnown.push(response);
  return lineKnown;
}

/**
 * Whether `text` is one of `known`. Why a scan: a record knows a few texts (its prompt contents), and a
 * comparison with a text of another length ends at once, where the verbatim test reads every character.
 */
function isKnownVerbatim(text: string, known: readonly string[] | undefined): boolean {
  if (known === undefined || text.length < KNOWN_MIN) return false;
  for (let i = 0; i < known.length; i++) if (known[i] === text) return true;
  return false;
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
function writeSpanAttributes(r: SpanRecord, out: LineBuffer, known: readonly string[]): void {
  const attributes = r.span.attributes;
  let first = true;
  for (const key in attributes) {
    out.append((first ? '{' : ',') + keys.get(key));
    writeJsonString(attributeToString(attributes[key] ?? null), out, known);
    first = false;
  }
  if (r.addedEvaluations) {
    for (const { start, results, setHash } of r.addedEvaluations) {
      for (let n = 0; n < results.length; n++) {
        // Each result starts with its comma; the map's first entry takes the brace instead.
        const result = resultText(start + n, results[n]!, setHash);
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

/**
 * One result's seven attributes at index `i`, each preceded by a comma, as `forEachAddedAttribute` visits them:
 * as text, or, for a result that recurs, as its remembered UTF-8 bytes (see recentResults). Written field by
 * field rather than through the visitor: the keys are fixed per index, and name, kind, identifier and metadata
 * recur per rubric.
 */
function resultText(i: number, e: EvaluationRecord, setHash: string): string | Buffer {
  const byRubric = recentResults.get(e.rubricId);
  let known = byRubric?.last;
  // Most results repeat their rubric's previous one ("no lexicon term found"): compared first, that spares
  // hashing the explanation (a new string on every span) and probing the memo with it.
  if (known === undefined || known.explanation !== e.explanation) known = byRubric?.memo.get(e.explanation);
  if (
    known &&
    known.index === i &&
    Object.is(known.score, e.score) &&
    known.label === e.label &&
    known.rubricVersion === e.rubricVersion &&
    known.annotatorKind === e.annotatorKind &&
    known.setHash === setHash &&
    known.metadata === e.metadata
  ) {
    byRubric!.last = known;
    // Made at the first recurrence: many completeness results (naming the missing terms) never recur.
    return (known.bytes ??= Buffer.from(known.json));
  }
  const k = keyFragmentsOf(i);
  const json =
    k[0] +
    values.get(e.rubricId) +
    k[1] +
    jsonString(attributeToString(e.score)) +
    k[2] +
    values.get(e.label) +
    k[3] +
    jsonString(e.explanation) +
    k[4] +
    values.get(e.annotatorKind) +
    k[5] +
    identifierJson(e) +
    k[6] +
    values.get(withRubricFileHash(e.metadata, setHash));
  if (e.explanation.length > RECENT_EXPLANATION_MAX || i >= CACHED_INDICES) return json;
  if (recentCount >= RECENT_RESULTS) {
    recentResults.clear();
    recentCount = 0;
  }
  const { explanation, score, label, rubricVersion, annotatorKind, metadata } = e;
  const kept: RecentResult = {
    index: i,
    explanation,
    score,
    label,
    rubricVersion,
    annotatorKind,
    metadata,
    setHash,
    // Kept as built: it is only read to make the bytes, if it recurs (internalising every new one, as most
    // completeness results are, was wasted work once recurring results went in as bytes).
    json,
    bytes: undefined,
  };
  let recent = recentResults.get(e.rubricId); // not byRubric: the memo may have started over above
  if (!recent) recentResults.set(e.rubricId, (recent = { memo: new Map(), last: undefined }));
  if (!recent.memo.has(explanation)) recentCount += 1;
  recent.memo.set(explanation, kept);
  recent.last = kept;
  return kept.json;
}

/**
 * Recent results' text, by rubric and explanation. Deterministic rubrics give few distinct results ("no
 * lexicon term found" on most spans: 2 to 184 per rubric over 3,000 HH-RLHF spans, but for completeness,
 * which names the missing terms), so most of a span's results are one comparison with the rubric's last
 * result and one copy of bytes into the line instead of 14 pieces, four memo lookups and two escapes.
 * Copying the bytes (~500 a result, about half of a row) rather than adding the text to the line spares
 * flattening and encoding it again: encoding 0.85×, 0.92× and 0.92× in paired runs over the same requests.
 * Bounded: it starts over past RECENT_RESULTS, and long explanations (a judge's) are not kept.
 */
type RecentResult = Pick<
  EvaluationRecord,
  'explanation' | 'score' | 'label' | 'rubricVersion' | 'annotatorKind' | 'metadata'
> & { index: number; setHash: string; json: string; bytes: Buffer | undefined };
/** By rubric id, then explanation: rubrics that share an explanation ("valid JSON") keep one each. */
const recentResults = new Map<string, { memo: Map<string, RecentResult>; last: RecentResult | undefined }>();
let recentCount = 0;
const RECENT_RESULTS = 4096;
const RECENT_EXPLANATION_MAX = 160;

/**
 * `,"evaluations.{i}.evaluation.<field>":` for each field in write order, built once per index below
 * CACHED_INDICES (a sender picks the indices, up to 10^6: past that they are built each time).
 */
const keyFragments: string[][] = [];
function keyFragmentsOf(i: number): string[] {
  let fragments = keyFragments[i];
  if (!fragments) {
    fragments = ANNOTATION_FIELDS.map(
      (field) => ',' + jsonString(annotationKey(OI.evaluations, i, field)) + ':',
    );
    if (i < CACHED_INDICES) keyFragments[i] = fragments;
  }
  return fragments;
}

/** The JSON of `rubricId@rubricVersion`, remembered per rubric (the last version seen for each id). */
const identifiers = new Map<string, { version: string; json: string }>();
function identifierJson(e: EvaluationRecord): string {
  const known = identifiers.get(e.rubricId);
  if (known && known.version === e.rubricVersion) return known.json;
  const json = jsonString(`${e.rubricId}@${e.rubricVersion}`);
  if (identifiers.size >= 4096) identifiers.clear();
  identifiers.set(e.rubricId, { version: e.rubricVersion, json });
  return json;
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
