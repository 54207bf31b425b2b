// Output of `prefloop sql`: an aligned table for a terminal, or one JSON object per line.
import type { QueryParams, Store } from './Store.js';

export interface Column {
  name: string;
  type: string;
}

export interface SqlResult {
  columns: Column[];
  rows: unknown[][];
}

export interface FormatOptions {
  format: 'table' | 'json';
  /** Cells longer than this are cut with '…' in a table (a terminal); undefined = never cut. */
  maxCellWidth?: number;
}

/** Runs a query keeping the column order and names even for zero rows (JSONCompactEachRowWithNamesAndTypes). */
export async function runSql(store: Store, sql: string, params?: QueryParams): Promise<SqlResult> {
  const text = await store.queryText(sql, 'JSONCompactEachRowWithNamesAndTypes', params);
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines.length < 2) return { columns: [], rows: [] }; // a statement with no result set
  const names = JSON.parse(lines[0]!) as string[];
  const types = JSON.parse(lines[1]!) as string[];
  return {
    columns: names.map((name, i) => ({ name, type: types[i] ?? '' })),
    rows: lines.slice(2).map((l) => JSON.parse(l) as unknown[]),
  };
}

/** Renders rows: `json` = one object per line (keys in column order); `table` = aligned columns. */
export function formatRows(
  rows: readonly unknown[][],
  columns: readonly Column[],
  options: FormatOptions,
): string {
  if (options.format === 'json') {
    const wide = columns.map((c) => WIDE_INTEGER.test(c.type));
    return rows
      .map(
        (row) =>
          JSON.stringify(
            Object.fromEntries(
              columns.map((c, i) => [c.name, wide[i] ? integerValue(row[i]) : (row[i] ?? null)]),
            ),
          ) + '\n',
      )
      .join('');
  }
  if (columns.length === 0) return '';
  const cut = (s: string): string => {
    const flat = s.replace(/\r?\n/g, '\\n').replace(/\t/g, ' ');
    const max = options.maxCellWidth;
    return max !== undefined && flat.length > max ? flat.slice(0, Math.max(1, max - 1)) + '…' : flat;
  };
  const header = columns.map((c) => cut(c.name));
  const body = rows.map((row) => columns.map((_, i) => cut(cellText(row[i]))));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const numeric = columns.map((c) => /^(Nullable\()?(U?Int|Float|Decimal)/.test(c.type));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd() + '\n';
  const rule = widths.map((w) => '─'.repeat(w)).join('  ') + '\n';
  const count = `(${rows.length} row${rows.length === 1 ? '' : 's'})\n`;
  return line(header) + rule + body.map(line).join('') + count;
}

/** 64-bit and wider integers, which ClickHouse's JSON quotes as strings (`count()` is a UInt64). */
const WIDE_INTEGER = /^(Nullable\()?(LowCardinality\()?U?Int(64|128|256)\b/;

/** A quoted wide integer as a JSON number when a double holds it exactly; else left as its string. */
function integerValue(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  const n = Number(value);
  return Number.isSafeInteger(n) && String(n) === value ? n : value;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
