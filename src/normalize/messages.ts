// Pulls chat messages out of OTel GenAI attributes and input/output values (OpenInference indexed
// messages: IndexedMessageReader).
import { indexedEntries, text } from './indexedAttributes.js';
import type { AttrMap, AttrValue, ChatMessage } from '../records/types.js';

/** Legacy indexed GenAI form (`gen_ai.prompt.{i}.role|content`) used by older instrumentations. */
export function legacyIndexedMessages(attributes: AttrMap, prefix: string): ChatMessage[] {
  return indexedEntries(attributes, prefix).map(([, f]) => ({
    role: text(f.get('role')),
    content: text(f.get('content')),
  }));
}

/**
 * GenAI JSON messages (`gen_ai.input.messages` / `gen_ai.output.messages`): `[{role, parts: [{type:
 * 'text', content}]}]`; also accepts `{role, content}` items (legacy `gen_ai.prompt`/`completion`).
 */
export function genAiJsonMessages(value: AttrValue | undefined): ChatMessage[] {
  const parsed = typeof value === 'string' ? parseJson(value) : value;
  if (!Array.isArray(parsed)) return [];
  const out: ChatMessage[] = [];
  for (const item of parsed as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const m = item as Record<string, unknown>;
    out.push({ role: typeof m.role === 'string' ? m.role : '', content: contentOf(m) });
  }
  return out;
}

/** `gen_ai.system_instructions`: a JSON parts array (or plain text) → one system message, or none. */
export function genAiSystemInstructions(value: AttrValue | undefined): ChatMessage[] {
  if (typeof value !== 'string' || value.trim() === '') return [];
  const parsed = parseJson(value);
  const content = Array.isArray(parsed) ? partsText(parsed) : value;
  return content === '' ? [] : [{ role: 'system', content }];
}

/**
 * `input.value` as a prompt: JSON with a `messages` array (OpenAI-style request) gives those
 * messages; any other value is one user message.
 */
export function inputValueMessages(value: AttrValue | undefined): ChatMessage[] {
  const raw = text(value);
  if (raw.trim() === '') return [];
  if (raw.trimStart().startsWith('{')) {
    const parsed = parseJson(raw);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      Array.isArray((parsed as { messages?: unknown }).messages)
    )
      return genAiJsonMessages((parsed as { messages: AttrValue }).messages);
  }
  return [{ role: 'user', content: raw }];
}

/**
 * `output.value` as a response: OpenAI-style JSON (`choices[0].message.content` / `choices[0].text`)
 * gives the text; anything else is taken as is.
 */
export function outputValueText(value: AttrValue | undefined): string {
  const raw = text(value);
  if (!raw.trimStart().startsWith('{')) return raw;
  const parsed = parseJson(raw) as {
    choices?: Array<{ message?: { content?: unknown }; text?: unknown }>;
  } | null;
  const choice = parsed?.choices?.[0];
  if (typeof choice?.message?.content === 'string') return choice.message.content;
  if (typeof choice?.text === 'string') return choice.text;
  return raw;
}

/** The assistant text of output messages: their contents in order (usually exactly one). */
export function responseText(messages: readonly ChatMessage[]): string {
  if (messages.length === 1) return messages[0]!.content;
  return messages
    .map((m) => m.content)
    .filter((c) => c !== '')
    .join('\n');
}

function contentOf(m: Record<string, unknown>): string {
  if (Array.isArray(m.parts)) return partsText(m.parts);
  if (typeof m.content === 'string') return m.content;
  if (Array.isArray(m.content)) return partsText(m.content);
  return '';
}

/** Text of `[{type: 'text', content|text}]` parts, joined in order; other part types are skipped. */
function partsText(parts: unknown[]): string {
  const texts: string[] = [];
  for (const p of parts) {
    if (typeof p === 'string') texts.push(p);
    else if (typeof p === 'object' && p !== null) {
      const part = p as { type?: unknown; content?: unknown; text?: unknown };
      if (part.type !== undefined && part.type !== 'text') continue;
      const t =
        typeof part.content === 'string' ? part.content : typeof part.text === 'string' ? part.text : '';
      if (t !== '') texts.push(t);
    }
  }
  return texts.join('\n');
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined; // Not JSON: callers fall back to the raw text.
  }
}
