// Resolves what every command shares: the config file and the store URL, by DESIGN.md's precedence.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultConfig, loadConfigFile } from '../config/loadConfig.js';
import type { PrefloopConfig } from '../config/loadConfig.js';
import { DEFAULTS, ENV } from '../names.js';
import { resolveClientStore } from '../serve/serveLock.js';
import type { Store } from '../sink/Store.js';
import type { CommandInput } from './Command.js';

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
  return (
    (input.values.store as string | undefined) ??
    input.io.env[ENV.store] ??
    config.clickhouse.endpoint ??
    DEFAULTS.storeUrl
  );
}

/**
 * Runs `work` on the store the command names (through a running serve when it holds the embedded folder)
 * and closes it afterwards, whether `work` succeeds or throws.
 */
export async function withClientStore<T>(
  input: CommandInput,
  work: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await resolveClientStore(resolveStoreUrl(input, resolveConfig(input)), input.io.env);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
