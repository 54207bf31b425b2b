// A prompt's identity: the sha256 of its normalised ordered messages, so cosmetic differences collapse.
import * as crypto from 'node:crypto';
import { promptJsonBytes } from './promptBytes.js';
import type { ChatMessage } from '../records/types.js';

const WHITESPACE = /\s+/g;
/** Whitespace that collapsing would change: a run of two, or any whitespace other than a plain space. */
const COLLAPSIBLE = /\s\s|[^\S ]/;

/** One-shot hashing (Node ≥ 20.12) skips the per-call Hash object; older Node gets the same digest. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: Uint8Array) => string }).hash;

/** Role lower-cased and trimmed; content with whitespace runs collapsed to one space and trimmed. */
export function normalizeMessage(m: ChatMessage): ChatMessage {
  return { role: m.role.trim().toLowerCase(), content: collapseWhitespace(m.content) };
}

/** `text.replace(/\s+/g, ' ').trim()`, without building a new string when only the ends need it. */
function collapseWhitespace(text: string): string {
  return COLLAPSIBLE.test(text) ? text.replace(WHITESPACE, ' ').trim() : text.trim();
}

/**
 * sha256 hex of the normalised messages, in order: of the UTF-8 JSON of [role, content] pairs, which
 * is unambiguous whatever characters the content holds (see promptJsonBytes for the exact bytes).
 * `verbatim` collects the contents JSON writes as they are, as promptJsonBytes does.
 */
export function promptHash(messages: readonly ChatMessage[], verbatim?: string[]): string {
  const bytes = promptJsonBytes(messages, verbatim);
  return oneShotHash ? oneShotHash('sha256', bytes) : crypto.createHash('sha256').update(bytes).digest('hex');
}
