// A ClickHouse-HTTP-compatible endpoint over any Store: the subset @clickhouse/client speaks, so HttpStore
// (and `prefloop sql`/`export`) can reach an embedded store that another process (`prefloop serve`) holds.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { BodyError, readBody } from '../receive/readBody.js';
import { DEFAULTS } from '../names.js';
import { errorText } from '../observe/diag.js';
import type { InsertFormat, QueryParams, Store } from '../sink/Store.js';
import { INSERT_FORMATS, isColumnName, StoreError } from '../sink/Store.js';
import { sandboxSql, SqlSandboxError } from './sqlSandbox.js';

export interface QueryEndpointOptions {
  /** Path prefix the handler is mounted at (e.g. PATHS.query); '' for a server of its own. Default ''. */
  basePath?: string;
  /** Largest request body accepted (after gzip). Default 256 MiB. */
  maxBodyBytes?: number;
  /** A body not fully arrived by then is answered 408. Default DEFAULTS.bodyTimeoutMs. */
  bodyTimeoutMs?: number;
  /**
   * Reads only, in the SQL sandbox (sqlSandbox.ts): inserts and every other write, settings change, file, URL
   * or remote access are refused as READONLY. Default false (a test double of a whole server).
   */
  readOnly?: boolean;
}

/** A parsed request: what to run and how. Pure, so the protocol subset is unit-tested without servers. */
export type EndpointRequest =
  | { kind: 'ping' }
  | {
      kind: 'insert';
      table: string;
      format: InsertFormat;
      columns?: string[];
      data: Buffer;
      dedupToken?: string;
    }
  | { kind: 'query'; sql: string; format: string; params: QueryParams };

/** An error in ClickHouse's own shape, so @clickhouse/client reports its code and type. */
export class EndpointError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly type: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const INSERT_RE = /^\s*INSERT\s+INTO\s+(?:TABLE\s+)?([`"\w.]+)\s*(\([^)]*\))?\s*FORMAT\s+(\w+)\s*/i;
const TRAILING_FORMAT_RE = /\s+FORMAT\s+(\w+)\s*;?\s*$/i;
const STATUS_BY_CODE: Record<number, number> = {
  6: 400,
  27: 400,
  36: 400,
  47: 400,
  53: 400,
  62: 400,
  164: 403,
  60: 404,
  81: 404,
  456: 400,
  457: 400,
};

/**
 * Parses one request: the query from the `query` URL parameter (then the body is INSERT data) or from the
 * body; `param_<name>` as bound parameters; `default_format`; `database` (must be the store's);
 * `insert_deduplication_token`. Other settings are accepted and ignored.
 */
export function parseEndpointRequest(
  path: string,
  search: URLSearchParams,
  body: Buffer,
  database: string,
): EndpointRequest {
  if (path === '/ping') return { kind: 'ping' };
  if (path !== '/' && path !== '') throw new EndpointError(`unknown path ${path}`, 0, 'UNKNOWN_PATH', 404);
  const db = search.get('database');
  if (db !== null && db !== '' && db !== database) {
    throw new EndpointError(
      `this endpoint serves database ${database}, not ${db}`,
      81,
      'UNKNOWN_DATABASE',
      404,
    );
  }
  const fromUrl = search.get('query');
  let sql: string;
  let data: Buffer | undefined;
  if (fromUrl !== null) {
    sql = fromUrl;
    data = body;
  } else {
    sql = body.toString('utf8');
  }
  const insert = INSERT_RE.exec(sql);
  if (insert) {
    if (data === undefined) {
      // INSERT … FORMAT X, then the data, in one body.
      data = Buffer.from(sql.slice(insert[0].length));
    } else if (sql.slice(insert[0].length).trim() !== '') {
      data = Buffer.concat([Buffer.from(sql.slice(insert[0].length) + '\n'), data]);
    }
    const columns = insert[2] ? parseColumnList(insert[2]) : undefined;
    const format = insert[3]!;
    if (!isInsertFormat(format))
      throw new EndpointError(
        `INSERT format ${format} is not supported here; use ${INSERT_FORMATS.join(' or ')}`,
        73,
        'UNKNOWN_FORMAT',
        400,
      );
    const parts = insert[1]!.replace(/[`"]/g, '').split('.');
    if (parts.length === 2 && parts[0] !== database)
      throw new EndpointError(
        `this endpoint serves database ${database}, not ${parts[0]}`,
        81,
        'UNKNOWN_DATABASE',
        404,
      );
    const token = search.get('insert_deduplication_token');
    return {
      kind: 'insert',
      table: parts[parts.length - 1]!,
      format,
      ...(columns ? { columns } : {}),
      data,
      ...(token ? { dedupToken: token } : {}),
    };
  }
  if (data !== undefined && data.length > 0) sql = `${sql}\n${data.toString('utf8')}`;
  let format = search.get('default_format') || 'TabSeparated';
  const trailing = TRAILING_FORMAT_RE.exec(sql);
  if (trailing) {
    format = trailing[1]!;
    sql = sql.slice(0, trailing.index);
  }
  const params: QueryParams = {};
  for (const [key, value] of search) if (key.startsWith('param_')) params[key.slice('param_'.length)] = value;
  if (sql.trim() === '') throw new EndpointError('empty query', 62, 'SYNTAX_ERROR', 400);
  return { kind: 'query', sql, format, params };
}

function isInsertFormat(format: string): format is InsertFormat {
  return (INSERT_FORMATS as readonly string[]).includes(format);
}

/** `(a, \`Events.Name\`, "b")` → names; anything but plain or dotted identifiers is refused. */
function parseColumnList(list: string): string[] {
  const names = list
    .slice(1, -1)
    .split(',')
    .map((c) => c.trim().replace(/^[`"](.*)[`"]$/, '$1'));
  for (const name of names) {
    if (!isColumnName(name))
      throw new EndpointError(
        `INSERT column ${JSON.stringify(name)} is not a plain column name`,
        62,
        'SYNTAX_ERROR',
        400,
      );
  }
  return names;
}

/** Renders any failure as ClickHouse does: `Code: N. DB::Exception: … (TYPE)` with its HTTP status. */
export function toEndpointError(err: unknown): EndpointError {
  if (err instanceof EndpointError) return err;
  if (err instanceof SqlSandboxError) return new EndpointError(err.message, 164, 'READONLY', 403);
  const causeMessage = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
  const message = errorText(err);
  const fromCode = err instanceof StoreError ? /^CH_(\d+)$/.exec(err.code) : null;
  const inner = /Code: (\d+)\. DB::Exception: (.*?)\.? \(((?=[A-Z0-9_]*[A-Z]{3})[A-Z0-9_]+)\)/s.exec(
    causeMessage || message,
  );
  const code = inner ? Number(inner[1]) : fromCode ? Number(fromCode[1]) : 1001;
  const type = inner ? inner[3]! : 'STD_EXCEPTION';
  const text = inner ? inner[2]! : message;
  return new EndpointError(text, code, type, STATUS_BY_CODE[code] ?? 500);
}

/** The request handler; mount it on any node:http server (for all methods under basePath). */
export function createQueryHandler(
  store: Store,
  options: QueryEndpointOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  const limits = {
    maxBytes: options.maxBodyBytes ?? 256 * 1024 * 1024,
    timeoutMs: options.bodyTimeoutMs ?? DEFAULTS.bodyTimeoutMs,
    readOnly: options.readOnly ?? false,
  };
  return (req, res) => {
    void handle(store, base, limits, req, res);
  };
}

async function handle(
  store: Store,
  base: string,
  limits: { maxBytes: number; timeoutMs: number; readOnly: boolean },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const queryId = randomUUID();
  try {
    const url = new URL(req.url ?? '/', 'http://endpoint');
    const path = url.pathname.startsWith(base) ? url.pathname.slice(base.length) || '/' : url.pathname;
    const body = await readRequestBody(req, limits);
    const request = parseEndpointRequest(path, url.searchParams, body, store.database);
    const headers = {
      'X-ClickHouse-Query-Id': url.searchParams.get('query_id') ?? queryId,
      'X-ClickHouse-Timezone': 'UTC',
    };
    if (request.kind === 'ping') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Ok.\n');
      return;
    }
    if (request.kind === 'insert' && limits.readOnly)
      throw new SqlSandboxError(`only reads run here; INSERT INTO ${request.table} was refused`);
    if (request.kind === 'insert') {
      await store.insert(request.table, request.data, {
        format: request.format,
        ...(request.columns ? { columns: request.columns } : {}),
        ...(request.dedupToken ? { dedupToken: request.dedupToken } : {}),
      });
      res
        .writeHead(200, {
          ...headers,
          'X-ClickHouse-Summary': '{}',
          'Content-Type': 'text/plain; charset=UTF-8',
        })
        .end();
      return;
    }
    const params = Object.keys(request.params).length > 0 ? request.params : undefined;
    const sql = limits.readOnly ? sandboxSql(request.sql) : request.sql;
    const text = await store.queryText(sql, request.format, params);
    res
      .writeHead(200, {
        ...headers,
        'X-ClickHouse-Format': request.format,
        'X-ClickHouse-Summary': '{}',
        'Content-Type': request.format.startsWith('JSON')
          ? 'application/json; charset=UTF-8'
          : 'text/plain; charset=UTF-8',
      })
      .end(text);
  } catch (err) {
    const e = toEndpointError(err);
    if (res.headersSent) {
      res.destroy(e);
      return;
    }
    res
      .writeHead(e.status, {
        'Content-Type': 'text/plain; charset=UTF-8',
        'X-ClickHouse-Exception-Code': String(e.code),
        'X-ClickHouse-Query-Id': queryId,
      })
      .end(`Code: ${e.code}. DB::Exception: ${e.message}. (${e.type}) (version prefloop)\n`);
  }
}

/** The body, through the receiver's reader (limit after decompression, deadline), with ClickHouse-shaped errors. */
async function readRequestBody(
  req: IncomingMessage,
  limits: { maxBytes: number; timeoutMs: number },
): Promise<Buffer> {
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding !== 'gzip' && encoding !== 'identity')
    throw new EndpointError(
      `Content-Encoding ${encoding} is not supported; use gzip`,
      1001,
      'UNKNOWN_ENCODING',
      415,
    );
  try {
    return await readBody(req, { ...limits, gzip: encoding === 'gzip' });
  } catch (err) {
    if (!(err instanceof BodyError)) throw err;
    const type =
      err.status === 413 ? 'TOO_LARGE_REQUEST' : err.status === 408 ? 'TIMEOUT_EXCEEDED' : 'CANNOT_READ';
    throw new EndpointError(err.message, 1001, type, err.status);
  }
}
