// Turns the `\n\nHuman: …\n\nAssistant: …` text the export writes back into chat messages. Pure.
import type { ChatMessage } from '../records/types.js';

/** Speaker labels the export writes (src/export/transcript.ts speakerOf), back to roles. */
const ROLES: Record<string, string> = {
  Human: 'user',
  Assistant: 'assistant',
  System: 'system',
  Tool: 'tool',
  Developer: 'developer',
  Function: 'function',
};

const TURN = new RegExp(`\\n\\n(${Object.keys(ROLES).join('|')}):(?: |(?=\\n)|$)`, 'g');

/**
 * A rendered prompt as messages; the trailing `\n\nAssistant:` cue (empty last turn) is dropped. Text that is
 * not in the transcript form is one user message.
 */
export function parseTranscript(text: string): ChatMessage[] {
  const marks = [...text.matchAll(TURN)];
  if (marks.length === 0 || marks[0]!.index !== 0)
    return text.trim() === '' ? [] : [{ role: 'user', content: text }];
  const out: ChatMessage[] = [];
  marks.forEach((m, i) => {
    const start = m.index + m[0].length;
    const end = i + 1 < marks.length ? marks[i + 1]!.index : text.length;
    out.push({ role: ROLES[m[1]!]!, content: text.slice(start, end) });
  });
  const last = out[out.length - 1];
  if (last && last.role === 'assistant' && last.content === '') out.pop();
  return out;
}

/** A whole transcript (the `hh` format) as its prompt and its last assistant reply. */
export function splitTranscript(text: string, what: string): { prompt: ChatMessage[]; reply: string } {
  const messages = parseTranscript(text);
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'assistant' || messages.length < 2)
    throw new Error(`${what} is not a transcript ending with an Assistant turn`);
  return { prompt: messages.slice(0, -1), reply: last.content };
}
