// Reads a `prefloop export` hold-out (any format) back into prompts and preference pairs, with its manifest.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ChatMessage } from '../records/types.js';
import { parseTranscript, splitTranscript } from './transcriptText.js';

export type HoldoutFormat = 'dpo' | 'dpo-chat' | 'kto' | 'kto-chat' | 'hh' | 'reward';

/** One distinct hold-out prompt. */
export interface HoldoutPrompt {
  /** sha256 of the messages' JSON, first 16 hex digits: joins answers, pairs and scores. */
  key: string;
  messages: ChatMessage[];
}

/** One hold-out preference pair (kto examples pair a desirable with an undesirable answer to one prompt). */
export interface HoldoutPair {
  promptKey: string;
  chosen: string;
  rejected: string;
}

export interface HoldoutManifest {
  path: string;
  /** sha256 of its bytes, first 12 hex digits. */
  hash: string;
  format?: string;
  /** `rubric@version` of every rubric behind an exported pair. */
  rubricVersions: string[];
}

export interface Holdout {
  path: string;
  /** sha256 of the file's bytes, first 12 hex digits. */
  hash: string;
  format: HoldoutFormat;
  records: number;
  prompts: HoldoutPrompt[];
  pairs: HoldoutPair[];
  manifest?: HoldoutManifest;
}

/** A hold-out that cannot be used; the message names the file and the line. */
export class HoldoutError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HoldoutError';
  }
}

export function promptKey(messages: readonly ChatMessage[]): string {
  return createHash('sha256')
    .update(JSON.stringify(messages.map((m) => [m.role, m.content])))
    .digest('hex')
    .slice(0, 16);
}

function shortHash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12);
}

/** Reads hold-out JSONL and the `manifest.json` beside it (when there is one). */
export function readHoldout(path: string): Holdout {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new HoldoutError(`cannot read the hold-out ${path}: ${(err as Error).message}`, { cause: err });
  }
  const manifest = readManifest(join(dirname(path), 'manifest.json'));
  const lines = bytes
    .toString('utf8')
    .split('\n')
    .map((text, i) => ({ text: text.trim(), line: i + 1 }))
    .filter((l) => l.text !== '');
  if (lines.length === 0)
    throw new HoldoutError(
      `the hold-out ${path} is empty: no prompts to send (export with a larger --holdout share, or name another file)`,
    );
  const records = lines.map(({ text, line }) => {
    try {
      const value = JSON.parse(text) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Error('not an object');
      return { value: value as Record<string, unknown>, line };
    } catch (err) {
      throw new HoldoutError(
        `the hold-out ${path} line ${line} is not a JSON object: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  });
  const format = formatOf(manifest?.format, records[0]!.value, path);
  const prompts = new Map<string, HoldoutPrompt>();
  const pairs: HoldoutPair[] = [];
  const kto = new Map<string, { good: string[]; bad: string[] }>();
  const rewarded = new Map<string, { completion: string; reward: number }[]>();
  for (const { value, line } of records) {
    const where = `${path} line ${line}`;
    const r = readRecord(format, value, where);
    const key = promptKey(r.prompt);
    if (!prompts.has(key)) prompts.set(key, { key, messages: r.prompt });
    if (r.chosen !== undefined && r.rejected !== undefined)
      pairs.push({ promptKey: key, chosen: r.chosen, rejected: r.rejected });
    if (r.completion !== undefined && r.label !== undefined) {
      const side = kto.get(key) ?? { good: [], bad: [] };
      (r.label ? side.good : side.bad).push(r.completion);
      kto.set(key, side);
    }
    if (r.completion !== undefined && r.reward !== undefined) {
      const list = rewarded.get(key) ?? [];
      list.push({ completion: r.completion, reward: r.reward });
      rewarded.set(key, list);
    }
  }
  // Reward records pair up per prompt: the highest reward against the lowest, when they differ.
  for (const [key, list] of rewarded) {
    const sorted = [...list].sort((a, b) => b.reward - a.reward);
    const best = sorted[0]!;
    const worst = sorted[sorted.length - 1]!;
    if (best.reward > worst.reward)
      pairs.push({ promptKey: key, chosen: best.completion, rejected: worst.completion });
  }
  // KTO examples pair up per prompt, desirable against undesirable, in file order.
  for (const [key, { good, bad }] of kto)
    for (let i = 0; i < Math.min(good.length, bad.length); i++)
      pairs.push({ promptKey: key, chosen: good[i]!, rejected: bad[i]! });
  return {
    path,
    hash: shortHash(bytes),
    format,
    records: records.length,
    prompts: [...prompts.values()],
    pairs,
    ...(manifest ? { manifest } : {}),
  };
}

function readManifest(path: string): HoldoutManifest | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  let json: { format?: unknown; rubric_versions?: unknown };
  try {
    json = JSON.parse(bytes.toString('utf8')) as typeof json;
  } catch (err) {
    throw new HoldoutError(`the export manifest ${path} is not JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const versions = Array.isArray(json.rubric_versions)
    ? json.rubric_versions.filter((v): v is string => typeof v === 'string')
    : [];
  return {
    path,
    hash: shortHash(bytes),
    ...(typeof json.format === 'string' ? { format: json.format } : {}),
    rubricVersions: versions,
  };
}

const FORMATS: readonly string[] = ['dpo', 'dpo-chat', 'kto', 'kto-chat', 'hh', 'reward'];

/** The manifest's format, else the first record's shape. */
function formatOf(declared: string | undefined, first: Record<string, unknown>, path: string): HoldoutFormat {
  if (declared !== undefined) {
    if (!FORMATS.includes(declared))
      throw new HoldoutError(
        `the export manifest beside ${path} names an unknown format ${JSON.stringify(declared)}`,
      );
    return declared as HoldoutFormat;
  }
  const chat = Array.isArray(first.prompt);
  if ('chosen' in first && 'rejected' in first) return 'prompt' in first ? (chat ? 'dpo-chat' : 'dpo') : 'hh';
  if ('completion' in first && 'reward' in first) return 'reward';
  if ('completion' in first && 'label' in first) return chat ? 'kto-chat' : 'kto';
  throw new HoldoutError(
    `cannot tell the format of ${path}: its first record has none of the export formats' fields (prompt/chosen/rejected, chosen/rejected, prompt/completion/label, prompt/completion/reward)`,
  );
}

interface ReadRecord {
  prompt: ChatMessage[];
  chosen?: string;
  rejected?: string;
  completion?: string;
  label?: boolean;
  reward?: number;
}

function readRecord(format: HoldoutFormat, r: Record<string, unknown>, where: string): ReadRecord {
  switch (format) {
    case 'dpo':
    case 'dpo-chat':
      return {
        prompt: promptOf(r.prompt, where),
        chosen: answerOf(r.chosen, `${where}: chosen`),
        rejected: answerOf(r.rejected, `${where}: rejected`),
      };
    case 'hh': {
      const chosen = splitTranscript(stringOf(r.chosen, `${where}: chosen`), `${where}: chosen`);
      const rejected = splitTranscript(stringOf(r.rejected, `${where}: rejected`), `${where}: rejected`);
      return { prompt: chosen.prompt, chosen: chosen.reply, rejected: rejected.reply };
    }
    case 'kto':
    case 'kto-chat':
      if (typeof r.label !== 'boolean') throw new HoldoutError(`${where}: label is not true or false`);
      return {
        prompt: promptOf(r.prompt, where),
        completion: answerOf(r.completion, `${where}: completion`),
        label: r.label,
      };
    case 'reward':
      if (typeof r.reward !== 'number') throw new HoldoutError(`${where}: reward is not a number`);
      return {
        prompt: promptOf(r.prompt, where),
        completion: answerOf(r.completion, `${where}: completion`),
        reward: r.reward,
      };
  }
}

function stringOf(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new HoldoutError(`${what} is not a string`);
  return v;
}

/** A prompt as text (the HH transcript form of `dpo`/`kto`; plain text is one user message) or as messages. */
function promptOf(v: unknown, where: string): ChatMessage[] {
  let messages: ChatMessage[];
  if (typeof v === 'string') messages = parseTranscript(v);
  else if (Array.isArray(v))
    messages = v.map((m: unknown, i) => {
      const o = m as { role?: unknown; content?: unknown } | null;
      if (typeof o?.role !== 'string' || typeof o.content !== 'string')
        throw new HoldoutError(`${where}: prompt message ${i} lacks a string role and content`);
      return { role: o.role, content: o.content };
    });
  else throw new HoldoutError(`${where}: prompt is neither text nor a list of {role, content}`);
  if (messages.length === 0 || messages.every((m) => m.content.trim() === ''))
    throw new HoldoutError(`${where}: the prompt is empty`);
  return messages;
}

/** An answer as text, or as a one-message assistant list (the chat formats). */
function answerOf(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length > 0) {
    const last = v[v.length - 1] as { content?: unknown } | null;
    if (typeof last?.content === 'string') return last.content;
  }
  throw new HoldoutError(`${what} is neither text nor a list of {role, content}`);
}
