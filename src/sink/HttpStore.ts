// Server store: a ClickHouse server (or cluster) over HTTP through @clickhouse/client.
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import type { ClickHouseClient, DataFormat } from '@clickhouse/client';
import type { InsertOptions, QueryParams, Rows, Store, StoreTarget } from './Store.js';
import { bodyChunks, bodyLength } from './body.js';
import { columnList, INSERT_SETTINGS, insertBody, StoreError } from './Store.js';

export interface HttpStoreOptions {
  /** One request's timeout; a slower query fails with code TIMEOUT. Default 60 000 ms. */
  requestTimeoutMs?: number;
  /** gzip request bodies (inserts) and responses. Default true. */
  compression?: boolean;
  /** Sent as `Authorization: Bearer …` instead of user/password (a `prefloop serve` with bearer auth). */
  bearerToken?: string;
  /**
   * The embedded store a running `prefloop serve` gives access to, as the user named it (`embedded:.prefloop`):
   * then the location in messages and manifests, instead of serve's internal query URL.
   */
  servedStore?: string;
}

export class HttpStore implements Store {
  readonly kind = 'http' as const;
  readonly database: string;
  readonly location: string;
  private readonly client: ClickHouseClient;
  /** What error messages call the store. */
  private readonly name: string;
  private closed = false;

  constructor(target: StoreTarget, options: HttpStoreOptions = {}) {
    if (!target.url)
      throw new StoreError('an HTTP store needs a server URL (http(s)://host:port)', 'BAD_URL');
    this.database = target.database;
    const path = target.pathname ? target.pathname.replace(/\/+$/, '') : '';
    this.location = options.servedStore ?? `${target.url}${path}/${target.database}`;
    this.name = options.servedStore
      ? `${options.servedStore} (through the running prefloop serve)`
      : `ClickHouse at ${this.location}`;
    const compression = options.compression ?? true;
    this.client = createClient({
      url: target.url,
      // The client reads a URL path as the database; a proxy prefix (serve's /v1/query) goes here instead.
      ...(path ? { pathname: path } : {}),
      ...(options.bearerToken
        ? { access_token: options.bearerToken }
        : { username: target.username ?? 'default', password: target.password ?? '' }),
      database: target.database,
      clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
      request_timeout: options.requestTimeoutMs ?? 60_000,
      compression: { request: compression, response: compression },
      // Every failure reaches the caller as a StoreError, and the sink reports an outage once via diag();
      // the client's own console log would print each failed attempt again, flooding stderr during an outage.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  async command(sql: string, params?: QueryParams): Promise<void> {
    try {
      await this.client.command({ query: sql, query_params: params ?? {} });
    } catch (err) {
      throw this.wrap(err, sql);
    }
  }

  async query<T>(sql: string, params?: QueryParams): Promise<T[]> {
    try {
      const rs = await this.client.query({ query: sql, query_params: params ?? {}, format: 'JSONEachRow' });
      return await rs.json<T>();
    } catch (err) {
      throw this.wrap(err, sql);
    }
  }

  async *stream<T>(sql: string, params?: QueryParams): AsyncIterable<T> {
    try {
      const rs = await this.client.query({ query: sql, query_params: params ?? {}, format: 'JSONEachRow' });
      for await (const rows of rs.stream<T>()) {
        for (const row of rows) yield row.json<T>();
      }
    } catch (err) {
      throw this.wrap(err, sql);
    }
  }

  async queryText(sql: string, format: string, params?: QueryParams): Promise<string> {
    try {
      const rs = await this.client.query({
        query: sql,
        query_params: params ?? {},
        format: format as DataFormat,
      });
      return await rs.text();
    } catch (err) {
      throw this.wrap(err, sql);
    }
  }

  async insert(table: string, rows: Rows, options: InsertOptions = {}): Promise<void> {
    const { body, format } = insertBody(rows, options);
    if (bodyLength(body) === 0) return;
    const settings = {
      ...INSERT_SETTINGS,
      ...(options.dedupToken ? { insert_deduplication_token: options.dedupToken } : {}),
    };
    const columns = options.columns ? ` (${columnList(options.columns)})` : '';
    try {
      const result = await this.client.exec({
        query: `INSERT INTO ${this.database}.${table}${columns} FORMAT ${format}`,
        // The requests' buffers one after the other (small ones in 64 KiB chunks): no joined copy of the batch.
        values: Readable.from(bodyChunks(body, 64 * 1024)),
        clickhouse_settings: settings,
      });
      // The response stream holds its socket until read: unread, the pool runs dry and later requests hang.
      result.stream.resume();
      await finished(result.stream);
    } catch (err) {
      throw this.wrap(err, `INSERT INTO ${table}`);
    }
  }

  async ping(): Promise<boolean> {
    const r = await this.client.ping();
    return r.success;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  private wrap(err: unknown, sql: string): StoreError {
    const head = sql.replace(/\s+/g, ' ').trim().slice(0, 120);
    const { code, hint } = classifyHttpError(err);
    return new StoreError(
      `${this.name} failed (${head}): ${(err as { message?: string }).message ?? String(err)}${hint}`,
      code,
      { cause: err },
    );
  }
}

/**
 * Store error code of a client failure: `CH_<n>` for a ClickHouse exception (same as the embedded store),
 * STORE_UNREACHABLE for a connection failure, TIMEOUT for a request over the timeout.
 */
export function classifyHttpError(err: unknown): { code: string; hint: string } {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (/^\d+$/.test(code)) return { code: `CH_${code}`, hint: '' };
  if (/^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN|EPIPE|UND_ERR_SOCKET)$/.test(code))
    return { code: 'STORE_UNREACHABLE', hint: ' (is the server running and the URL right?)' };
  if (/timeout/i.test(message))
    return { code: 'TIMEOUT', hint: ' (raise the request timeout if the server is just slow)' };
  return { code: code || 'STORE_QUERY', hint: '' };
}
