// DecodedSpan → SpanRecord: the LLM meaning of a span from OpenInference and OTel GenAI attributes.
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { GENAI, OI } from '../conventions.js';
import { attributeToString } from '../records/attributeToString.js';
import { numberOf, text } from './indexedAttributes.js';
import type { IndexedEntries } from './indexedAttributes.js';
import { IndexedMessageReader } from './IndexedMessageReader.js';
import {
  genAiJsonMessages,
  genAiSystemInstructions,
  inputValueMessages,
  legacyIndexedMessages,
  outputValueText,
  responseText,
} from './messages.js';
import { promptHash } from './promptIdentity.js';
import type { AttrMap, ChatMessage, DecodedSpan, RetrievedDocument, SpanRecord } from '../records/types.js';

/** The indexed OpenInference attributes every span is read for, gathered in one pass over its keys. */
const INDEXED = new IndexedMessageReader();

export interface NormalizeOptions {
  /** Span attribute whose value names the prompt class (e.g. a template id); default: none. */
  promptClassAttribute?: string;
}

/** GenAI operations that are one model call (and so pair candidates). */
const LLM_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content']);

/** Reads one span; pure, never throws on odd attribute values (they just read as absent). */
export function normalizeSpan(span: DecodedSpan, options?: NormalizeOptions): SpanRecord {
  const a = span.attributes;
  const llmKind = kindOf(a);
  const { input, output, documents } = INDEXED.read(a);
  const prompt = promptOf(a, input).map(normalizeRole);
  const response = responseOf(a, output);
  const verbatimTexts: string[] = [];
  const hash = prompt.length > 0 ? promptHash(prompt, verbatimTexts) : '';
  const classAttr = options?.promptClassAttribute;
  const classValue = classAttr !== undefined ? a[classAttr] : undefined;
  const promptClass =
    classValue !== undefined && classValue !== null && attributeToString(classValue) !== ''
      ? attributeToString(classValue)
      : hash;
  return {
    span,
    serviceName: text(span.resource[ATTR_SERVICE_NAME]),
    llmKind,
    isLlm: llmKind === 'LLM' && prompt.length > 0 && response !== '',
    prompt,
    response,
    documents: documentsOf(documents),
    sessionId: text(a[OI.sessionId]) || text(a[GENAI.conversationId]),
    userId: text(a[OI.userId]),
    model: text(a[OI.modelName]) || text(a[GENAI.responseModel]) || text(a[GENAI.requestModel]),
    tokensPrompt: count(a[OI.tokenCountPrompt] ?? a[GENAI.inputTokens] ?? a['gen_ai.usage.prompt_tokens']),
    tokensCompletion: count(
      a[OI.tokenCountCompletion] ?? a[GENAI.outputTokens] ?? a['gen_ai.usage.completion_tokens'],
    ),
    promptHash: hash,
    promptClass,
    verbatimTexts,
  };
}

/** OpenInference kind (upper-cased); else LLM when GenAI attributes describe a model call. */
function kindOf(a: AttrMap): string {
  const oi = text(a[OI.spanKind]).trim().toUpperCase();
  if (oi !== '') return oi;
  const op = text(a[GENAI.operationName]).trim().toLowerCase();
  if (LLM_OPERATIONS.has(op)) return 'LLM';
  // Older GenAI instrumentations set no operation name but do set the system and the prompt.
  if (op === '' && (a[GENAI.system] !== undefined || a[GENAI.providerName] !== undefined)) {
    if (a[GENAI.inputMessages] !== undefined || a[GENAI.prompt] !== undefined || hasPrefix(a, GENAI.prompt))
      return 'LLM';
  }
  return '';
}

/** First source that yields messages: OI messages, GenAI JSON, legacy GenAI, then input.value. */
function promptOf(a: AttrMap, oi: ChatMessage[]): ChatMessage[] {
  if (oi.length > 0) return oi;
  const genAi = genAiJsonMessages(a[GENAI.inputMessages]);
  if (genAi.length > 0) return [...genAiSystemInstructions(a[GENAI.systemInstructions]), ...genAi];
  const legacy = typeof a[GENAI.prompt] === 'string' ? legacyPrompt(text(a[GENAI.prompt])) : [];
  if (legacy.length > 0) return legacy;
  const legacyIndexed = legacyIndexedMessages(a, GENAI.prompt);
  if (legacyIndexed.length > 0) return legacyIndexed;
  return inputValueMessages(a[OI.inputValue]);
}

function responseOf(a: AttrMap, oi: ChatMessage[]): string {
  if (oi.length > 0) return responseText(oi);
  const genAi = genAiJsonMessages(a[GENAI.outputMessages]);
  if (genAi.length > 0) return responseText(genAi);
  const completion = a[GENAI.completion];
  if (typeof completion === 'string' && completion !== '') {
    const asMessages = genAiJsonMessages(completion);
    return asMessages.length > 0 ? responseText(asMessages) : completion;
  }
  const legacyIndexed = legacyIndexedMessages(a, GENAI.completion);
  if (legacyIndexed.length > 0) return responseText(legacyIndexed);
  return outputValueText(a[OI.outputValue]);
}

/** Legacy `gen_ai.prompt`: a JSON message list, else one user message. */
function legacyPrompt(raw: string): ChatMessage[] {
  if (raw.trim() === '') return [];
  const asMessages = genAiJsonMessages(raw);
  return asMessages.length > 0 ? asMessages : [{ role: 'user', content: raw }];
}

function documentsOf(entries: IndexedEntries): RetrievedDocument[] {
  const out: RetrievedDocument[] = [];
  for (const [, f] of entries) {
    const doc: RetrievedDocument = { content: text(f.get(OI.documentContent)) };
    const score = numberOf(f.get(OI.documentScore));
    if (score !== null) doc.score = score;
    const id = f.get(OI.documentId);
    if (id !== undefined && id !== null) doc.id = text(id);
    out.push(doc);
  }
  return out;
}

/** Roles are stored normalised (lower-case, trimmed); content is kept exactly as sent. */
function normalizeRole(m: ChatMessage): ChatMessage {
  return { role: m.role.trim().toLowerCase(), content: m.content };
}

function count(v: AttrMap[string] | undefined): number {
  const n = numberOf(v);
  return n === null || n < 0 ? 0 : Math.min(Math.trunc(n), 0xffffffff);
}

function hasPrefix(a: AttrMap, prefix: string): boolean {
  const head = prefix + '.';
  for (const key in a) if (key.startsWith(head)) return true;
  return false;
}
