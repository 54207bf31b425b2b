// Reads HH-RLHF style preference pairs (JSONL, optionally gzipped) into prompt + chosen + rejected replies.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { ChatMessage } from '../../records/types.js';

/** One human preference: the shared conversation and the two last assistant replies. */
export interface PreferencePair {
  /** 1-based line number in the file. */
  line: number;
  prompt: ChatMessage[];
  chosen: string;
  rejected: string;
}

export interface HhReadResult {
  pairs: PreferencePair[];
  /** Lines not turned into pairs, by reason (bad_json, prefix_differs, not_assistant_last). */
  skipped: Record<string, number>;
  lines: number;
}

/** Reads a file of `{"chosen": transcript, "rejected": transcript}` lines (.gz detected by its magic bytes). */
export function readHhPairs(path: string): HhReadResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read pairs file ${path}: ${(err as Error).message}`, { cause: err });
  }
  const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  return parseHhPairs(text);
}

export function parseHhPairs(text: string): HhReadResult {
  const pairs: PreferencePair[] = [];
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  let lines = 0;
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    lines++;
    let obj: { chosen?: unknown; rejected?: unknown };
    try {
      obj = JSON.parse(raw) as typeof obj;
    } catch {
      return skip('bad_json');
    }
    if (typeof obj.chosen !== 'string' || typeof obj.rejected !== 'string') return skip('bad_json');
    const pair = splitPair(obj.chosen, obj.rejected);
    if (typeof pair === 'string') return skip(pair);
    pairs.push({ line: i + 1, ...pair });
  });
  return { pairs, skipped, lines };
}

/** `\n\nHuman: …\n\nAssistant: …` → messages with roles user/assistant. */
export function parseTranscript(transcript: string): ChatMessage[] {
  const parts = transcript.split(/\n\n(Human|Assistant):[ \t]?/);
  const out: ChatMessage[] = [];
  for (let i = 1; i + 1 < parts.length; i += 2) {
    out.push({ role: parts[i] === 'Human' ? 'user' : 'assistant', content: parts[i + 1]!.trim() });
  }
  return out;
}

function splitPair(chosen: string, rejected: string): Omit<PreferencePair, 'line'> | string {
  const c = parseTranscript(chosen);
  const r = parseTranscript(rejected);
  const lastC = c[c.length - 1];
  const lastR = r[r.length - 1];
  if (!lastC || !lastR || lastC.role !== 'assistant' || lastR.role !== 'assistant')
    return 'not_assistant_last';
  const prompt = c.slice(0, -1);
  const other = r.slice(0, -1);
  if (prompt.length === 0) return 'not_assistant_last';
  if (
    prompt.length !== other.length ||
    prompt.some((m, i) => m.role !== other[i]!.role || m.content !== other[i]!.content)
  ) {
    return 'prefix_differs';
  }
  return { prompt, chosen: lastC.content, rejected: lastR.content };
}
