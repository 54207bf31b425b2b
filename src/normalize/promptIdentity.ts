// A prompt's identity: the sha256 of its normalised ordered messages, so cosmetic differences collapse.
import { createHash } from 'node:crypto';
import type { ChatMessage } from './types.js';

const WHITESPACE = /\s+/g;

/** Role lower-cased and trimmed; content with whitespace runs collapsed to one space and trimmed. */
export function normalizeMessage(m: ChatMessage): ChatMessage {
  return { role: m.role.trim().toLowerCase(), content: m.content.replace(WHITESPACE, ' ').trim() };
}

/** sha256 hex of the normalised messages, in order. */
export function promptHash(messages: readonly ChatMessage[]): string {
  const hash = createHash('sha256');
  // JSON of [role, content] pairs: unambiguous whatever characters the content holds.
  hash.update(
    JSON.stringify(
      messages.map((m) => {
        const n = normalizeMessage(m);
        return [n.role, n.content];
      }),
    ),
  );
  return hash.digest('hex');
}
