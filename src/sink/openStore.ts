// Opens the store a URL names: `embedded:<folder>` (chDB) or `http(s)://[user:pass@]host:port[/database]`.
import { DEFAULTS } from '../names.js';
import { ChdbStore } from './ChdbStore.js';
import type { Store, StoreTarget } from './Store.js';
import { assertIdentifier, StoreError } from './Store.js';

/** Parses a store URL, with a message that names what was wrong. */
export function parseStoreUrl(raw: string): StoreTarget {
  if (raw.startsWith('embedded:')) {
    const rest = raw.slice('embedded:'.length);
    const [folder, database] = rest.split('#');
    if (!folder)
      throw new StoreError(`store URL ${JSON.stringify(raw)} names no folder (embedded:<folder>)`, 'BAD_URL');
    return { kind: 'embedded', folder, database: assertIdentifier(database || DEFAULTS.database) };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new StoreError(
      `store URL ${JSON.stringify(raw)} is neither embedded:<folder> nor http(s)://host:port[/database]`,
      'BAD_URL',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new StoreError(
      `store URL protocol ${url.protocol} is not supported (use embedded:, http: or https:)`,
      'BAD_URL',
    );
  }
  const database = assertIdentifier(
    decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, '')) || DEFAULTS.database,
  );
  const target: StoreTarget = {
    kind: 'http',
    url: `${url.protocol}//${url.host}`,
    database,
  };
  if (url.username) target.username = decodeURIComponent(url.username);
  if (url.password) target.password = decodeURIComponent(url.password);
  return target;
}

/** Opens the store a URL names. */
export async function openStore(raw: string): Promise<Store> {
  const target = parseStoreUrl(raw);
  if (target.kind === 'embedded') return new ChdbStore(target.folder!, target.database);
  const { HttpStore } = await import('./HttpStore.js');
  return new HttpStore(target);
}
