// The export formats: one preference pair (or KTO example) row → one JSONL record. Pure.
import type { ChatMessage } from '../records/types.js';
import { parseMessages, renderPrompt, renderTranscript } from './transcript.js';

export const EXPORT_FORMATS = ['dpo', 'dpo-chat', 'kto', 'kto-chat', 'hh', 'reward'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** The unpaired formats: one row per answer with a label, from kto_examples. */
export type KtoFormat = Extract<ExportFormat, 'kto' | 'kto-chat'>;

/** Whether a format writes unpaired examples (kto_examples) rather than pairs. */
export function isKtoFormat(format: ExportFormat): format is KtoFormat {
  return format === 'kto' || format === 'kto-chat';
}

/** A `preference_pairs` row as the export query selects it. */
export interface PairRow {
  pair_id: string;
  source: string;
  sources: string[];
  prompt: string;
  chosen: string;
  rejected: string;
  margin: number;
  prompt_class: string;
  prompt_hash: string;
  chosen_span_id: string;
  rejected_span_id: string;
  created_ms: number | string;
  agreement: number | null;
  rubric_versions: string[];
  metadata: string;
  /** 'agrees' / 'unknown' / 'below_floor' for rubric (Path A) pairs, '' for the rest. */
  rubric_gate?: string;
}

/** A `kto_examples` row as the export query selects it. */
export interface KtoRow {
  span_id: string;
  prompt_hash: string;
  prompt_class: string;
  prompt: string;
  completion: string;
  label: boolean;
  kind: string;
  agreement: number;
  created_ms: number | string;
}

/** Pair fields every pair format carries after its own (TRL keeps extra columns as is). */
function pairExtras(row: PairRow): Record<string, unknown> {
  return {
    pair_id: row.pair_id,
    source: row.source,
    sources: row.sources,
    margin: row.margin,
    prompt_class: row.prompt_class,
    prompt_hash: row.prompt_hash,
    chosen_span_id: row.chosen_span_id,
    rejected_span_id: row.rejected_span_id,
    created: new Date(Number(row.created_ms)).toISOString(),
    agreement: row.agreement,
    rubric_versions: row.rubric_versions,
    metadata: parseMetadata(row.metadata, row.pair_id),
  };
}

function parseMetadata(json: string, pairId: string): unknown {
  try {
    return JSON.parse(json);
  } catch (err) {
    throw new Error(`metadata of pair ${pairId} is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

function assistant(content: string): ChatMessage[] {
  return [{ role: 'assistant', content }];
}

/** One pair in a pair format (`dpo`, `dpo-chat`, `hh`). */
export function formatPair(
  format: Exclude<ExportFormat, KtoFormat | 'reward'>,
  row: PairRow,
): Record<string, unknown> {
  const prompt = parseMessages(row.prompt, `pair ${row.pair_id}`);
  switch (format) {
    case 'dpo':
      return { prompt: renderPrompt(prompt), chosen: row.chosen, rejected: row.rejected, ...pairExtras(row) };
    case 'dpo-chat':
      return { prompt, chosen: assistant(row.chosen), rejected: assistant(row.rejected), ...pairExtras(row) };
    case 'hh':
      // Exactly the HH-RLHF record shape: nothing else, so files diff cleanly against the dataset.
      return {
        chosen: renderTranscript(prompt, row.chosen),
        rejected: renderTranscript(prompt, row.rejected),
      };
  }
}

/**
 * One unpaired example in TRL's KTO format: `kto` with the prompt as text, `kto-chat` (conversational)
 * with the prompt as `[{role, content}]` and the completion as a one-message assistant list.
 */
export function formatKto(row: KtoRow, format: KtoFormat = 'kto'): Record<string, unknown> {
  const prompt = parseMessages(row.prompt, `span ${row.span_id}`);
  const chat = format === 'kto-chat';
  return {
    prompt: chat ? prompt : renderPrompt(prompt),
    completion: chat ? assistant(row.completion) : row.completion,
    label: row.label,
    span_id: row.span_id,
    prompt_class: row.prompt_class,
    prompt_hash: row.prompt_hash,
    kind: row.kind,
    agreement: row.agreement,
    created: new Date(Number(row.created_ms)).toISOString(),
  };
}
