// `prefloop migrate`: applies the versioned schema and views to the configured store.
import { migrate } from '../../sink/migrate.js';
import { openStore } from '../../sink/openStore.js';
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
    const store = await openStore(resolveStoreUrl({ values, positionals, io }, config));
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
