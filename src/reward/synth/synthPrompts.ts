// Reads the curated prompt file of `prefloop synth`: JSONL of {prompt: string | [{role, content}]} (an export's
// holdout.jsonl in dpo-chat or kto-chat form works as is), JSON strings, or plain text lines. Pure.
import type { ChatMessage } from '../../records/types.js';

/** A prompt file that cannot be used; `problems` names each bad line. */
export class SynthPromptsError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(`${message}:\n  ${problems.join('\n  ')}`);
    this.name = 'SynthPromptsError';
  }
}

/**
 * One conversation per non-empty line. A line starting with `{` or `"` must be JSON: an object with `prompt`
 * (a string, or messages `{role, content}`), or a string; any other line is one user message as written.
 * Every bad line is listed; duplicates are kept once (the same prompt would only repeat the same work).
 */
export function parseSynthPrompts(text: string, source: string): ChatMessage[][] {
  const out: ChatMessage[][] = [];
  const seen = new Set<string>();
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const at = `${source}:${i + 1}`;
    let prompt: ChatMessage[] | string;
    if (line.startsWith('{') || line.startsWith('"')) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        problems.push(`${at}: not JSON (${(err as Error).message})`);
        return;
      }
      const p = typeof value === 'string' ? value : (value as { prompt?: unknown } | null)?.prompt;
      const messages = readPrompt(p);
      if (!messages) {
        problems.push(`${at}: expected {"prompt": string or [{"role", "content"}]} or a JSON string`);
        return;
      }
      prompt = messages;
    } else prompt = line;
    const messages = typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt;
    const key = JSON.stringify(messages);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(messages);
  });
  if (problems.length > 0)
    throw new SynthPromptsError(`${problems.length} bad line(s) in ${source}`, problems);
  if (out.length === 0)
    throw new SynthPromptsError(`no prompts in ${source}`, ['the file has no non-empty line']);
  return out;
}

function readPrompt(p: unknown): ChatMessage[] | null {
  if (typeof p === 'string') return p.trim() === '' ? null : [{ role: 'user', content: p }];
  if (!Array.isArray(p) || p.length === 0) return null;
  const out: ChatMessage[] = [];
  for (const m of p) {
    const msg = m as { role?: unknown; content?: unknown } | null;
    if (typeof msg?.role !== 'string' || msg.role === '' || typeof msg.content !== 'string') return null;
    out.push({ role: msg.role, content: msg.content });
  }
  return out;
}
