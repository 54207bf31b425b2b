// `prefloop migrate`: applies the versioned schema and views to the configured store.
import { resolve } from 'node:path';
import { prepareOutDir } from '../../export/index.js';
import { isPidAlive, readServeLock } from '../../serve/serveLock.js';
import { migrate } from '../../sink/migrate.js';
import { openStore, parseStoreUrl } from '../../sink/openStore.js';
import { StoreError } from '../../sink/Store.js';
import type { Command } from '../Command.js';
import { resolveConfig, resolveStoreUrl } from '../resolve.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'create or upgrade the ClickHouse tables and views (also done by serve at start-up)',
  usage: '[--cluster NAME]',
  options: { cluster: { type: 'string' } },
  help: ['--cluster NAME      run DDL ON CLUSTER NAME with Replicated engines (default: the config)'],
  async run({ values, positionals, io }) {
    const config = resolveConfig({ values, positionals, io });
    const storeUrl = resolveStoreUrl({ values, positionals, io }, config);
    refuseFolderHeldByServe(storeUrl);
    const target = parseStoreUrl(storeUrl);
    // Checked here, not left to the engine's recursive mkdir: that spins for minutes under /proc.
    if (target.kind === 'embedded') prepareOutDir(resolve(target.folder!), 'the store');
    const store = await openStore(storeUrl);
    try {
      const cluster = (values.cluster as string | undefined) ?? config.clickhouse.cluster;
      const result = await migrate(store, cluster ? { cluster } : {});
      for (const name of result.applied) io.stdout.write(`applied ${name}\n`);
      io.stdout.write(
        `${store.location}: ${result.applied.length} migration(s) applied, ${result.skipped.length} already in place\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};

/** The engine holds a folder for one process; serve's lock names the holder before the engine's raw lock error. */
function refuseFolderHeldByServe(storeUrl: string): void {
  const target = parseStoreUrl(storeUrl);
  if (target.kind !== 'embedded') return;
  const lock = readServeLock(target.folder!);
  if (!lock || lock.pid === process.pid || !isPidAlive(lock.pid)) return;
  throw new StoreError(
    `embedded:${target.folder} is held by a running prefloop serve (pid ${lock.pid}), which applied the migrations itself when it started; to migrate it here, stop serve first`,
    'STORE_LOCKED',
  );
}
