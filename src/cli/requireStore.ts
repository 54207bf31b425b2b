// Read commands (`sql`, `pairs`, `export`) refuse a store that is not there, instead of opening it, which
// would create an empty one and then fail on a missing table with the engine's whole internal query.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TABLES } from '../names.js';
import type { Store, StoreTarget } from '../sink/Store.js';
import { StoreError } from '../sink/Store.js';
import { pendingMigrations } from '../sink/migrate.js';

/** Where the store URL came from, for messages: `--store`, `PREFLOOP_STORE`, the config file, the default. */
export type StoreSource = string;

const NAME_ONE =
  'name the store with --store URL or PREFLOOP_STORE; `prefloop serve` or `prefloop migrate` creates one';

/**
 * Throws unless an embedded folder holds prefloop's migrations. Read on disk, without opening the engine (that
 * would create the folder): ClickHouse keeps each table's definition at metadata/<database>/<table>.sql.
 */
export function requireEmbeddedStore(target: StoreTarget, source: StoreSource): void {
  const folder = resolve(target.folder!);
  const name = `embedded:${target.folder}`;
  if (!existsSync(folder))
    throw new StoreError(
      `no prefloop store at ${name} (${source}): the folder ${folder} does not exist (${NAME_ONE})`,
      'NO_STORE',
    );
  if (!existsSync(join(folder, 'metadata', target.database, `${TABLES.migrations}.sql`)))
    throw new StoreError(
      `no prefloop store at ${name} (${source}): the folder ${folder} has no prefloop migrations` +
        ` in database ${target.database} (${NAME_ONE})`,
      'NO_STORE',
    );
}

/** Throws unless a ClickHouse server's database holds prefloop's tables (the migrations table stands for them). */
export async function requireServerStore(store: Store, source: StoreSource): Promise<void> {
  let found: boolean;
  try {
    const rows = await store.query<{ n: string | number }>(
      'SELECT count() AS n FROM system.tables WHERE database = {db:String} AND name = {table:String}',
      { db: store.database, table: TABLES.migrations },
    );
    found = Number(rows[0]?.n ?? 0) > 0;
  } catch (err) {
    const e = err as StoreError;
    // 81: the database itself does not exist (the client names it on every request).
    if (e.code === 'CH_81') found = false;
    else if (e.code === 'STORE_UNREACHABLE' || e.code === 'TIMEOUT')
      throw new StoreError(
        `cannot reach the store at ${store.location} (${source}): ${rootMessage(e)} (is the server running and the URL right?)`,
        e.code,
        { cause: err },
      );
    else throw err;
  }
  if (!found)
    throw new StoreError(
      `no prefloop store at ${store.location} (${source}): the database ${store.database} has no prefloop tables` +
        ' (run `prefloop migrate` with this store, or `prefloop serve`, which migrates at start; or name another store with --store URL or PREFLOOP_STORE)',
      'NO_STORE',
    );
}

/** Throws when the store lacks migrations this prefloop has (an older prefloop made it), naming them. */
export async function requireCurrentStore(store: Store, source: StoreSource): Promise<void> {
  const pending = await pendingMigrations(store);
  if (pending.length === 0) return;
  throw new StoreError(
    `the store at ${store.location} (${source}) was made by an older prefloop: ${pending.length} migration(s) not` +
      ` applied (${pending.join(', ')}); run \`prefloop migrate\` with this store (or restart \`prefloop serve\`,` +
      ' which migrates at start)',
    'STORE_OUTDATED',
  );
}

/** The client's own message, without the wrapper's query text. */
function rootMessage(err: Error): string {
  const cause = err.cause as { message?: unknown } | undefined;
  return typeof cause?.message === 'string' ? cause.message : err.message;
}
