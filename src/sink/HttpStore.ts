// Server store: a ClickHouse server (or cluster) over HTTP through @clickhouse/client.
import { Readable } from 'node:stream';
import { createClient } from '@clickhouse/client';
import type { ClickHouseClient, DataFormat } from '@clickhouse/client';
import type { StoreTarget } from './openStore.js';
import type { InsertOptions, QueryParams, Store } from './Store.js';
import { StoreError, toJsonEachRow } from './Store.js';

export class HttpStore implements Store {
  readonly kind = 'http' as const;
  readonly database: string;
  readonly location: string;
  private readonly client: ClickHouseClient;
  private closed = false;

  constructor(target: StoreTarget) {
    this.database = target.database;
    this.location = `${target.url}/${target.database}`;
    this.client = createClient({
      url: target.url,
      username: target.username ?? 'default',
      password: target.password ?? '',
      database: target.database,
      clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
      request_timeout: 60_000,
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

  async insert(table: string, rows: readonly object[] | Buffer, options: InsertOptions = {}): Promise<void> {
    const body = Buffer.isBuffer(rows) ? rows : toJsonEachRow(rows);
    if (body.length === 0) return;
    const settings = options.dedupToken ? { insert_deduplication_token: options.dedupToken } : {};
    try {
      await this.client.exec({
        query: `INSERT INTO ${this.database}.${table} FORMAT JSONEachRow`,
        values: Readable.from([body]),
        clickhouse_settings: settings,
      });
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
    const e = err as { message?: string; code?: string };
    const head = sql.replace(/\s+/g, ' ').trim().slice(0, 120);
    return new StoreError(
      `ClickHouse at ${this.location} failed (${head}): ${e.message ?? String(err)}`,
      e.code ? `CH_${e.code}` : 'STORE_QUERY',
      { cause: err },
    );
  }
}
