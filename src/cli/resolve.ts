// Resolves what every command shares, the config file and the store URL: flag, then environment, then config, then default.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultConfig, loadConfigFile } from '../config/loadConfig.js';
import type { PrefloopConfig } from '../config/loadConfig.js';
import { DEFAULTS, ENV } from '../names.js';
import { resolveClientStore } from '../serve/serveLock.js';
import { parseStoreUrl } from '../sink/openStore.js';
import type { Store } from '../sink/Store.js';
import type { CommandInput } from './Command.js';
import { requireCurrentStore, requireEmbeddedStore, requireServerStore } from './requireStore.js';

/** --config FILE, else $PREFLOOP_CONFIG, else ./prefloop.yaml when present, else built-in defaults. */
export function resolveConfig(input: CommandInput): PrefloopConfig {
  const { values, io } = input;
  const named = (values.config as string | undefined) ?? io.env[ENV.config];
  if (named) return loadConfigFile(resolve(io.cwd, named), io.env);
  const local = resolve(io.cwd, DEFAULTS.configFile);
  if (existsSync(local)) return loadConfigFile(local, io.env);
  return defaultConfig();
}

/** --store URL, else $PREFLOOP_STORE, else the config's clickhouse exporter endpoint, else embedded:.prefloop. */
export function resolveStoreUrl(input: CommandInput, config: PrefloopConfig): string {
  return resolveStore(input, config).url;
}

/** The store URL, and where it came from (for messages that tell a new user how to name another). */
export function resolveStore(input: CommandInput, config: PrefloopConfig): { url: string; source: string } {
  const flag = input.values.store as string | undefined;
  if (flag !== undefined) return { url: flag, source: 'from --store' };
  const env = input.io.env[ENV.store];
  if (env !== undefined) return { url: env, source: `from ${ENV.store}` };
  const configured = config.clickhouse.endpoint;
  if (configured !== undefined) return { url: configured, source: `from ${config.source}` };
  return { url: DEFAULTS.storeUrl, source: 'the default store' };
}

/**
 * Runs `work` on the store the command names (through a running serve when it holds the embedded folder)
 * and closes it afterwards, whether `work` succeeds or throws. A store that is not there is refused, not
 * created.
 */
export async function withClientStore<T>(
  input: CommandInput,
  work: (store: Store) => Promise<T>,
): Promise<T> {
  const { url, source } = resolveStore(input, resolveConfig(input));
  const target = parseStoreUrl(url);
  if (target.kind === 'embedded') requireEmbeddedStore(target, source);
  const store = await resolveClientStore(url);
  try {
    if (target.kind === 'http') await requireServerStore(store, source);
    await requireCurrentStore(store, source);
    return await work(store);
  } finally {
    await store.close();
  }
}
