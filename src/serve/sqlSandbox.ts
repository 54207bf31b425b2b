// The read-only sandbox for SQL that arrives over serve's query route: one read statement, no file, URL or
// remote access, no settings but a few harmless ones, and the engine's own `readonly = 1` on top.

/** Why a statement was refused; the query endpoint answers it as ClickHouse's READONLY (code 164). */
export class SqlSandboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqlSandboxError';
  }
}

/** Statements the CLI's reads (`sql`, `pairs`, `export`) start with. */
const READ_STATEMENTS = new Set(['select', 'with', 'show', 'describe', 'desc', 'exists']);

/**
 * Settings a query may carry (export's bounded-memory SETTINGS): they tune memory and threads only. The
 * engine refuses any change under readonly = 1, so these are re-applied before it, in the one SETTINGS clause.
 */
const ALLOWED_SETTINGS = new Set([
  'max_threads',
  'join_algorithm',
  'max_bytes_before_external_sort',
  'max_bytes_before_external_group_by',
  'max_memory_usage',
  'max_execution_time',
  'max_block_size',
]);

/** Table functions that only compute (a function in FROM/JOIN must be one of these). */
const PURE_TABLE_FUNCTIONS = new Set([
  'numbers',
  'numbers_mt',
  'zeros',
  'zeros_mt',
  'values',
  'view',
  'generate_series',
  'generateseries',
]);

/**
 * Functions that reach files, URLs, other servers, processes or dictionaries (with their external sources),
 * refused wherever they are called. readonly = 1 already stops the table functions among them in the engine
 * (measured on chDB 3.4); this list is the second wall.
 */
const IO_FUNCTION =
  /^(file|filecluster|url|urlcluster|input|remote\w*|cluster\w*|s3\w*|gcs|oss|cosn|hdfs\w*|azure\w*|mysql|postgresql|mongodb|sqlite|jdbc|odbc|redis|executable\w*|dict\w*|iceberg\w*|deltalake\w*|hudi\w*|paimon\w*|hive|filesystem|arrowflight|ytsaurus|mergetreeindex|mergetreeanalyzeindexes|fuzzjson|fuzzquery)$/;

/** Words that never belong in a read: file output and input, and a SETTINGS clause anywhere but the end. */
const REFUSED_WORDS = new Set(['outfile', 'infile', 'settings']);

interface Token {
  kind: 'word' | 'quoted' | 'string' | 'number' | 'punct';
  text: string;
  /** Offset of the token in the statement. */
  at: number;
}

/**
 * Returns the statement to run: `sql` (one read statement) ending in a SETTINGS clause that keeps its allowed
 * settings and adds `readonly = 1` last (the engine takes the clause's settings against the query's starting
 * state, so nothing after it could undo it, and nothing before it may name it). Throws SqlSandboxError naming
 * what was refused.
 */
export function sandboxSql(sql: string): string {
  const tokens = tokenize(sql);
  while (tokens.length > 0 && tokens[tokens.length - 1]!.text === ';') tokens.pop();
  const first = tokens.find((t) => t.text !== '(');
  if (!first || first.kind !== 'word' || !READ_STATEMENTS.has(first.text.toLowerCase()))
    throw new SqlSandboxError(
      `only reads run here (SELECT, WITH, SHOW, DESCRIBE, EXISTS), not ${first ? first.text : 'an empty statement'}`,
    );
  const { end, settings } = trailingSettings(tokens);
  for (let i = 0; i < end; i++) {
    const t = tokens[i]!;
    const word = t.kind === 'word' || t.kind === 'quoted' ? t.text.toLowerCase() : undefined;
    if (t.text === ';') throw new SqlSandboxError('one statement per request: remove the `;` between them');
    if (word === undefined) continue;
    if (t.kind === 'word' && REFUSED_WORDS.has(word))
      throw new SqlSandboxError(
        word === 'settings'
          ? 'SETTINGS is allowed once, at the end of the statement'
          : `${t.text.toUpperCase()} reads or writes files; it does not run here`,
      );
    if (tokens[i + 1]?.text !== '(') continue;
    if (IO_FUNCTION.test(word))
      throw new SqlSandboxError(`${t.text}() reaches files, URLs or other servers; it does not run here`);
    const before = tokens[i - 1]?.text.toLowerCase();
    if ((before === 'from' || before === 'join' || before === 'in') && !PURE_TABLE_FUNCTIONS.has(word))
      throw new SqlSandboxError(
        `table function ${t.text}() does not run here (allowed: ${[...PURE_TABLE_FUNCTIONS].slice(0, 7).join(', ')})`,
      );
  }
  const body = end < tokens.length ? sql.slice(0, tokens[end]!.at) : sql.slice(0, endOf(tokens, sql));
  return `${body.replace(/\s+$/, '')}\nSETTINGS ${[...settings, 'readonly = 1'].join(', ')}`;
}

/** The index of a top-level trailing SETTINGS keyword (or tokens.length) and its allowed `name = value`s. */
function trailingSettings(tokens: Token[]): { end: number; settings: string[] } {
  let depth = 0;
  let at = -1;
  tokens.forEach((t, i) => {
    if (t.text === '(') depth += 1;
    else if (t.text === ')') depth -= 1;
    else if (depth === 0 && t.kind === 'word' && t.text.toLowerCase() === 'settings') at = i;
  });
  if (at < 0) return { end: tokens.length, settings: [] };
  const settings: string[] = [];
  for (let i = at + 1; i < tokens.length; i += 4) {
    const [name, eq, value, comma] = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    if (
      name?.kind !== 'word' ||
      eq?.text !== '=' ||
      (value?.kind !== 'number' && value?.kind !== 'string') ||
      (comma !== undefined && comma.text !== ',')
    )
      throw new SqlSandboxError("SETTINGS must be a list of name = number or name = 'string'");
    if (!ALLOWED_SETTINGS.has(name.text))
      throw new SqlSandboxError(
        `setting ${name.text} cannot be changed here (allowed: ${[...ALLOWED_SETTINGS].join(', ')})`,
      );
    settings.push(`${name.text} = ${value.text}`);
  }
  return { end: at, settings };
}

/** Offset just past the last token (trailing comments and `;` dropped). */
function endOf(tokens: Token[], sql: string): number {
  const last = tokens[tokens.length - 1];
  return last ? last.at + last.text.length : sql.length;
}

/**
 * Splits SQL into words, quoted identifiers, strings, numbers and punctuation; comments are skipped. What
 * ClickHouse could read differently from this scanner (`#` comments, `$$` strings, nested block comments,
 * unterminated quotes) is refused rather than guessed.
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0 || sql.slice(i + 2, close).includes('/*'))
        throw new SqlSandboxError('unterminated or nested /* comment */');
      i = close + 2;
    } else if (c === "'" || c === '`' || c === '"') {
      const end = closingQuote(sql, i);
      const text = sql.slice(i, end + 1);
      tokens.push(
        c === "'" ? { kind: 'string', text, at: i } : { kind: 'quoted', text: unquote(text), at: i },
      );
      i = end + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 256))!;
      tokens.push({ kind: 'word', text: m[0], at: i });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9A-Za-z_.]*(?:[eE][+-]?[0-9]+)?/.exec(sql.slice(i, i + 256))!;
      tokens.push({ kind: 'number', text: m[0], at: i });
      i += m[0].length;
    } else if (c === '#' || c === '$' || c === '\\') {
      throw new SqlSandboxError(`unexpected ${c} outside a string`);
    } else {
      tokens.push({ kind: 'punct', text: c, at: i });
      i += 1;
    }
  }
  return tokens;
}

/** Index of the quote that closes the one at `start` (backslash escapes and doubled quotes skipped). */
function closingQuote(sql: string, start: number): number {
  const q = sql[start]!;
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] === '\\') i += 1;
    else if (sql[i] === q) {
      if (sql[i + 1] === q) i += 1;
      else return i;
    }
  }
  throw new SqlSandboxError(`unterminated ${q} quote`);
}

function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\(.)/g, '$1');
}
