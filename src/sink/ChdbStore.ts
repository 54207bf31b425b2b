// Embedded store: the ClickHouse engine in this process (chDB) on a data folder.
import { readFileSync } from 'node:fs';
import { prepareOutDir } from '../outDir.js';
import { join, resolve } from 'node:path';
import { drainPending, Session } from 'chdb';
import { DEFAULTS } from '../names.js';
import type { InsertOptions, QueryParams, Rows, Store } from './Store.js';
import { BodyJoiner, bodyLength } from './body.js';
import { assertColumnName, assertIdentifier, INSERT_SETTINGS, insertBody, StoreError } from './Store.js';

/**
 * One for the process, as the engine is: batches are joined into one kept buffer (twice the default
 * batch.max_bytes at most), not into fresh memory per insert.
 */
const joiner = new BodyJoiner(2 * DEFAULTS.batchBytes);

/**
 * chDB is one engine per process: sessions are shared by resolved folder. `streaming` is set while a streamed
 * query reads its rows: any other query on the session between two of its chunks ends that stream ("No active
 * streaming query"), so other operations wait for it (a serve schedule measuring agreement while an in-process
 * export streams would otherwise break the export). So a reader must not query the store inside its own stream
 * loop: that query would wait for the stream it is part of.
 */
interface SessionEntry {
  session: Session;
  users: number;
  streaming: Promise<void> | undefined;
}
const openSessions = new Map<string, SessionEntry>();

export class ChdbStore implements Store {
  readonly kind = 'embedded' as const;
  readonly location: string;
  private readonly folder: string;
  private readonly session: Session;
  private readonly entry: SessionEntry;
  private closed = false;
  /** Creates the database and makes it the session default, so analysts' unqualified names resolve. */
  private readonly ready: Promise<void>;

  constructor(
    folder: string,
    readonly database: string,
  ) {
    this.folder = resolve(folder);
    this.location = `embedded:${folder}`;
    let entry = openSessions.get(this.folder);
    if (!entry) {
      // Owner-only: the store holds every prompt and answer (the engine's own files inherit the umask). Made a
      // level at a time: a recursive mkdir under a pseudo-filesystem (/proc) spins for minutes (see outDir.ts).
      try {
        prepareOutDir(this.folder, 'the embedded store', 0o700);
      } catch (err) {
        throw new StoreError((err as Error).message, 'STORE_OPEN', { cause: err });
      }
      try {
        const session = new Session(this.folder, {
          connectionArgs: ['--output_format_json_quote_64bit_integers=1'],
        });
        entry = { session, users: 0, streaming: undefined };
      } catch (err) {
        const holder = lockHolder(this.folder, (err as Error).message);
        throw new StoreError(
          `cannot open the embedded store at ${this.folder}: ${(err as Error).message}` +
            (holder !== undefined
              ? ` (${holder} holds this folder: stop it, or let \`prefloop serve\` hold it and reach it through its query endpoint)`
              : ''),
          holder !== undefined ? 'STORE_LOCKED' : 'STORE_OPEN',
          { cause: err },
        );
      }
      openSessions.set(this.folder, entry);
    }
    entry.users += 1;
    this.entry = entry;
    this.session = entry.session;
    const session = this.session;
    this.ready = (async () => {
      await session.queryAsync(`CREATE DATABASE IF NOT EXISTS ${assertIdentifier(database)}`);
      await session.queryAsync(`USE ${database}`);
    })();
    // Failures surface on the first operation that awaits `ready`.
    this.ready.catch(() => undefined);
  }

  async command(sql: string, params?: QueryParams): Promise<void> {
    await this.run(sql, params, 'TabSeparated');
  }

  async query<T>(sql: string, params?: QueryParams): Promise<T[]> {
    const text = await this.run(sql, params, 'JSONEachRow');
    return parseJsonEachRow<T>(text);
  }

  async *stream<T>(sql: string, params?: QueryParams): AsyncIterable<T> {
    await this.opened();
    await this.idle();
    let done!: () => void;
    this.entry.streaming = new Promise<void>((resolve) => (done = resolve));
    try {
      const stream = this.session.queryStreamBind(sql, toBindParams(params), {
        format: 'JSONEachRow',
      });
      for await (const row of stream.rows<T>()) yield row;
    } catch (err) {
      throw wrap(err, sql);
    } finally {
      // Also when the reader stops early (a break or a throw in its loop ends the generator here).
      this.entry.streaming = undefined;
      done();
    }
  }

  /** Waits while a stream reads on this session (see SessionEntry). */
  private async idle(): Promise<void> {
    while (this.entry.streaming) await this.entry.streaming;
  }

  queryText(sql: string, format: string, params?: QueryParams): Promise<string> {
    return this.run(sql, params, format);
  }

  async insert(table: string, rows: Rows, options: InsertOptions = {}): Promise<void> {
    const { body, format } = insertBody(rows, options);
    if (bodyLength(body) === 0) return;
    await this.opened();
    await this.idle();
    // The engine shares this process's cores with the pipeline: parsing a batch on one thread instead of
    // fanning it out costs ~10% less CPU per row (20k HH spans with rubric results, 5k-span batches).
    const settings: Record<string, string | number> = {
      ...INSERT_SETTINGS,
      input_format_parallel_parsing: 0,
    };
    if (options.dedupToken) settings.insert_deduplication_token = options.dedupToken;
    const columns = options.columns?.map(assertColumnName);
    // The engine reads one buffer, in place, until the insert settles: only then may a joined one be reused.
    const joined = joiner.join(body);
    try {
      await this.session.insert({
        table: `${this.database}.${table}`,
        values: joined.bytes,
        format,
        ...(columns ? { columns } : {}),
        settings,
      });
    } catch (err) {
      throw wrap(err, `INSERT INTO ${this.database}.${table}`);
    } finally {
      joined.release();
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.opened();
      await this.idle();
      await this.session.queryAsync('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The engine keeps a closed session's folder until the operations running on it end (the database is
    // created in the background from the constructor): close resolves only after they have, so the folder can
    // then be removed or another one opened. A store closed at once after opening left the engine writing
    // its metadata while a test removed the folder (ENOTEMPTY).
    await this.ready.catch(() => undefined);
    const entry = openSessions.get(this.folder);
    if (!entry) return;
    entry.users -= 1;
    if (entry.users === 0) {
      openSessions.delete(this.folder);
      entry.session.close();
      await drainPending();
    }
  }

  private async run(sql: string, params: QueryParams | undefined, format: string): Promise<string> {
    await this.opened();
    await this.idle();
    try {
      const result = params
        ? await this.session.queryBindAsync(sql, toBindParams(params), { format })
        : await this.session.queryAsync(sql, { format });
      return result.text();
    } catch (err) {
      throw wrap(err, sql);
    }
  }

  private async opened(): Promise<void> {
    if (this.closed) throw new StoreError(`the embedded store at ${this.folder} is closed`, 'STORE_CLOSED');
    try {
      await this.ready;
    } catch (err) {
      throw wrap(err, `CREATE DATABASE ${this.database}`);
    }
  }
}

/** chDB binds parameters from strings the way the HTTP interface does (`param_x=…`). */
function toBindParams(params: QueryParams | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params ?? {}))
    out[key] = typeof value === 'bigint' ? value.toString() : value;
  return out;
}

export function parseJsonEachRow<T>(text: string): T[] {
  const rows: T[] = [];
  for (const line of text.split('\n')) if (line.length > 0) rows.push(JSON.parse(line) as T);
  return rows;
}

function wrap(err: unknown, sql: string): StoreError {
  const e = err as { message?: string; clickhouseCode?: number; code?: string };
  const code = e.clickhouseCode !== undefined ? `CH_${e.clickhouseCode}` : (e.code ?? 'STORE_QUERY');
  const head = sql.replace(/\s+/g, ' ').trim().slice(0, 120);
  return new StoreError(`embedded store query failed (${head}): ${e.message ?? String(err)}`, code, {
    cause: err,
  });
}

/**
 * Who holds an embedded folder, when that is why it did not open: chDB's error says only "Failed to create
 * connection" (the engine's "Cannot lock file …/status" goes to stderr), so the engine's `status` file, which
 * exists while a process holds the folder and names its PID, is read instead.
 */
function lockHolder(folder: string, message: string): string | undefined {
  if (/Cannot lock file/.test(message)) return 'another process';
  let status: string;
  try {
    status = readFileSync(join(folder, 'status'), 'utf8');
  } catch {
    return undefined;
  }
  const pid = /PID:\s*(\d+)/.exec(status)?.[1];
  return pid ? `process ${pid}` : 'another process';
}
