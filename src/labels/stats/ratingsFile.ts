// Parses a ratings file for `prefloop agreement --ratings`: CSV with the header `unit,annotator,value`
// or JSONL `{unit, annotator, value}`; a missing rating is simply absent. Every problem is named by line.
import type { Rating } from './ratings.js';

export class RatingsFileError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(message);
    this.name = 'RatingsFileError';
  }
}

/** Splits one CSV line (RFC 4180 quoting: "a,b" and "" inside quotes). Undefined on an unclosed quote. */
export function splitCsvLine(line: string): string[] | undefined {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) return undefined;
  out.push(field);
  return out.map((f) => f.trim());
}

/** A value as a number when it reads as one (so interval/ratio work on CSV), else the trimmed text. */
function valueOf(raw: string): string | number {
  return raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
}

/**
 * Ratings from the file's text; the format is JSONL when the first non-blank line starts with `{`.
 * Throws RatingsFileError listing every bad line (at most 20 shown) — nothing half-read.
 */
export function parseRatings(text: string, name = 'ratings file'): Rating[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new RatingsFileError(`${name}: no ratings (the file is empty)`, []);
  const jsonl = (lines[first] as string).trim().startsWith('{');
  const problems: string[] = [];
  const ratings: Rating[] = [];
  const seen = new Map<string, number>();
  const add = (lineNo: number, unit: unknown, annotator: unknown, value: unknown): void => {
    const bad: string[] = [];
    if (typeof unit !== 'string' && typeof unit !== 'number') bad.push('unit must be a string or number');
    else if (String(unit) === '') bad.push('unit is empty');
    if (typeof annotator !== 'string' && typeof annotator !== 'number')
      bad.push('annotator must be a string or number');
    else if (String(annotator) === '') bad.push('annotator is empty');
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value)))
      bad.push('value must be a string or finite number');
    else if (value === '') bad.push('value is empty (leave a missing rating out instead)');
    if (bad.length) {
      problems.push(`line ${lineNo}: ${bad.join('; ')}`);
      return;
    }
    const key = `${String(unit)}\u0000${String(annotator)}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push(
        `line ${lineNo}: annotator ${String(annotator)} already rated unit ${String(unit)} on line ${earlier}`,
      );
      return;
    }
    seen.set(key, lineNo);
    ratings.push({
      unit: String(unit),
      annotator: String(annotator),
      value: typeof value === 'string' ? valueOf(value.trim()) : (value as number),
    });
  };
  if (jsonl) {
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch (err) {
        problems.push(`line ${i + 1}: not JSON (${(err as Error).message})`);
        return;
      }
      if (row === null || typeof row !== 'object' || Array.isArray(row)) {
        problems.push(`line ${i + 1}: expected an object {unit, annotator, value}`);
        return;
      }
      const r = row as Record<string, unknown>;
      add(i + 1, r.unit, r.annotator, r.value);
    });
  } else {
    const header = splitCsvLine(lines[first] as string)?.map((h) => h.toLowerCase());
    const col = (n: string): number => header?.indexOf(n) ?? -1;
    const [u, a, v] = [col('unit'), col('annotator'), col('value')];
    if (u < 0 || a < 0 || v < 0) {
      throw new RatingsFileError(
        `${name}: line ${first + 1}: the CSV header must name the columns unit,annotator,value (got "${(lines[first] as string).trim()}")`,
        [],
      );
    }
    for (let i = first + 1; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.trim() === '') continue;
      const cells = splitCsvLine(line);
      if (!cells) problems.push(`line ${i + 1}: unclosed quote`);
      else if (cells.length !== (header as string[]).length)
        problems.push(`line ${i + 1}: ${cells.length} fields, the header has ${(header as string[]).length}`);
      else add(i + 1, cells[u], cells[a], cells[v]);
    }
  }
  if (problems.length) {
    const shown = problems.slice(0, 20);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    throw new RatingsFileError(
      `${name}: ${problems.length} bad line(s):\n  ${shown.join('\n  ')}${more}`,
      problems,
    );
  }
  if (ratings.length === 0) throw new RatingsFileError(`${name}: no ratings (only a header)`, []);
  return ratings;
}
