// Reads a judge model's free-form answer robustly: JSON, fenced JSON, or prose like "Score: 7/10".

/** A pointwise grade pulled out of a judge answer. */
export interface ParsedGrade {
  /** Mapped onto [0, 1]. */
  score: number;
  /** The number the judge wrote. */
  raw: number;
  label: string;
  explanation: string;
}

export type PairWinner = 'A' | 'B' | 'tie';

const SCORE_KEYS = ['score', 'rating', 'grade', 'value', 'points'];
const LABEL_KEYS = ['label', 'verdict', 'category', 'classification'];
const EXPLANATION_KEYS = ['explanation', 'reasoning', 'reason', 'rationale', 'justification', 'feedback'];
const WINNER_KEYS = ['winner', 'verdict', 'preferred', 'preference', 'choice', 'better', 'answer'];

/** The grade in a pointwise answer, or null when no score in range can be found. */
export function parsePointwise(text: string, scale: { min: number; max: number }): ParsedGrade | null {
  const obj = findJsonObject(text);
  if (obj) {
    const rawScore = pick(obj, SCORE_KEYS);
    const parsed =
      typeof rawScore === 'number'
        ? { value: rawScore, outOf: undefined }
        : typeof rawScore === 'string'
          ? readNumber(rawScore)
          : null;
    const score = parsed ? normalise(parsed.value, parsed.outOf, scale) : null;
    if (parsed && score !== null) {
      return {
        score,
        raw: parsed.value,
        label: stringOr(pick(obj, LABEL_KEYS)),
        explanation: stringOr(pick(obj, EXPLANATION_KEYS)),
      };
    }
  }
  const prose =
    /\b(?:score|rating|grade)\b\s*(?:is|of|=|:)?\s*\**\s*(-?\d+(?:\.\d+)?)\s*(?:(?:\/|out of)\s*(\d+(?:\.\d+)?))?/i.exec(
      text,
    ) ??
    /\[\[\s*(-?\d+(?:\.\d+)?)\s*\]\]()/.exec(text) ??
    /(?<![\d.])(-?\d+(?:\.\d+)?)\s*(?:\/|out of)\s*(\d+(?:\.\d+)?)/i.exec(text);
  if (!prose) return null;
  const value = Number(prose[1]);
  const outOf = prose[2] ? Number(prose[2]) : undefined;
  const score = normalise(value, outOf, scale);
  if (score === null) return null;
  return { score, raw: value, label: '', explanation: text.trim().slice(0, 500) };
}

/** The verdict of a pairwise answer ("A", "B" or "tie"), or null when none can be found. */
export function parsePairwise(text: string): { winner: PairWinner; explanation: string } | null {
  const obj = findJsonObject(text);
  if (obj) {
    const w = readWinner(stringOr(pick(obj, WINNER_KEYS)));
    if (w) return { winner: w, explanation: stringOr(pick(obj, EXPLANATION_KEYS)) };
  }
  const explanation = text.trim().slice(0, 500);
  const bracket = /\[\[\s*(A|B|C|tie)\s*\]\]/i.exec(text);
  if (bracket) return { winner: readWinner(bracket[1]!)!, explanation };
  const labelled =
    /\b(?:winner|verdict|preferred|better (?:response|answer)|final answer)\b\s*(?:is|:)\s*\**\s*(?:response|answer|output|assistant)?\s*\(?([AB]|tie|neither|both|equal)\b/i.exec(
      text,
    );
  if (labelled) return { winner: readWinner(labelled[1]!)!, explanation };
  const sentence =
    /\b(?:response|answer|output|assistant)\s*\(?([AB])\)?\s+is\s+(?:better|preferred|stronger|superior)/i.exec(
      text,
    );
  if (sentence) return { winner: sentence[1]!.toUpperCase() as PairWinner, explanation };
  if (
    /\b(?:it'?s a tie|they are (?:equally|about equally)|both (?:are|responses are) equally)\b/i.test(text)
  ) {
    return { winner: 'tie', explanation };
  }
  const bare = /^\W*([AB])\W*$/i.exec(text.trim());
  if (bare) return { winner: bare[1]!.toUpperCase() as PairWinner, explanation };
  return null;
}

/** The first parseable JSON object in the text (fenced or inline). */
export function findJsonObject(text: string): Record<string, unknown> | null {
  const fence = /```(?:json)?\s*\n?([\s\S]*?)```/i.exec(text);
  const candidates = fence ? [fence[1]!, text] : [text];
  for (const candidate of candidates) {
    for (let start = candidate.indexOf('{'); start !== -1; start = candidate.indexOf('{', start + 1)) {
      const end = matchingBrace(candidate, start);
      if (end === -1) continue;
      try {
        const v: unknown = JSON.parse(candidate.slice(start, end + 1));
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
      } catch {
        // Not JSON from this brace; try the next one.
      }
    }
  }
  return null;
}

function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function pick(obj: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const [k, v] of Object.entries(obj)) if (keys.includes(k.toLowerCase())) return v;
  return undefined;
}

function stringOr(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
}

function readNumber(s: string): { value: number; outOf: number | undefined } | null {
  const m = /(-?\d+(?:\.\d+)?)\s*(?:(?:\/|out of)\s*(\d+(?:\.\d+)?))?/.exec(s);
  return m ? { value: Number(m[1]), outOf: m[2] ? Number(m[2]) : undefined } : null;
}

/** Maps a judge's number onto [0, 1]; null when it is outside the scale it claims. */
function normalise(
  value: number,
  outOf: number | undefined,
  scale: { min: number; max: number },
): number | null {
  if (!Number.isFinite(value)) return null;
  if (outOf !== undefined && outOf !== scale.max) {
    if (outOf <= 0 || value < 0 || value > outOf) return null;
    return round(value / outOf);
  }
  if (value < scale.min || value > scale.max) return null;
  return round((value - scale.min) / (scale.max - scale.min));
}

function readWinner(s: string): PairWinner | null {
  const t = s
    .trim()
    .toLowerCase()
    .replace(/^(?:response|answer|output|assistant)\s*/, '')
    .replace(/[()[\]"'.*]/g, '');
  if (t === 'a' || t === '1') return 'A';
  if (t === 'b' || t === '2') return 'B';
  if (['tie', 'c', 'equal', 'neither', 'both', 'draw', 'none'].includes(t)) return 'tie';
  return null;
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
