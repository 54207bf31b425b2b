// Renders chat messages as text: the HH-RLHF `\n\nHuman: …\n\nAssistant: …` transcript form.
import type { ChatMessage } from '../records/types.js';

/** Speaker label of a role in a transcript: user → Human, assistant → Assistant, others capitalised. */
export function speakerOf(role: string): string {
  if (role === 'user' || role === 'human') return 'Human';
  if (role === 'assistant' || role === 'ai') return 'Assistant';
  if (role === '') return 'Human';
  return role.charAt(0).toUpperCase() + role.slice(1);
}

/** One turn, exactly as HH-RLHF writes it: content untouched (no trimming). */
function turn(m: ChatMessage): string {
  return `\n\n${speakerOf(m.role)}: ${m.content}`;
}

/** A whole conversation ending with the given assistant reply (the `hh` export format). */
export function renderTranscript(prompt: readonly ChatMessage[], reply: string): string {
  return prompt.map(turn).join('') + turn({ role: 'assistant', content: reply });
}

/**
 * A prompt as plain text for trainers that take a string (`dpo`, `kto`): the role-labelled turns in
 * order, ending with the `\n\nAssistant:` cue, so that prompt + ' ' + reply is the HH transcript.
 */
export function renderPrompt(prompt: readonly ChatMessage[]): string {
  return prompt.map(turn).join('') + '\n\nAssistant:';
}

/** Parses `PromptMessages` JSON; names the pair on failure so a bad row can be found. */
export function parseMessages(json: string, what: string): ChatMessage[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new Error(
      `prompt of ${what} is not JSON (${(err as Error).message}); check otel_traces.PromptMessages`,
      {
        cause: err,
      },
    );
  }
  if (!Array.isArray(parsed))
    throw new Error(
      `prompt of ${what} is not a JSON array of {role, content}; check otel_traces.PromptMessages`,
    );
  return parsed.map((m: unknown, i) => {
    const o = m as { role?: unknown; content?: unknown } | null;
    if (typeof o?.role !== 'string' || typeof o.content !== 'string')
      throw new Error(`prompt message ${i} of ${what} lacks a string role and content`);
    return { role: o.role, content: o.content };
  });
}
