// `prefloop pairs`: what an analyst checks before exporting — counts per source, margins, contradictions.
import { formatPairsSummary, pairsSummary } from '../../export/index.js';
import { resolveClientStore } from '../../sink/serveLock.js';
import type { Command } from '../Command.js';
import { resolveConfig, resolveStoreUrl } from '../resolve.js';

export const pairsCommand: Command = {
  name: 'pairs',
  summary: 'summarise the preference pairs: counts per source, margin distribution, contradictions',
  usage: '[--format table|json]',
  options: { format: { type: 'string' } },
  help: ['--format table|json  a readable summary (default) or one JSON document'],
  async run(input) {
    const config = resolveConfig(input);
    const store = await resolveClientStore(resolveStoreUrl(input, config), input.io.env);
    try {
      const summary = await pairsSummary(store);
      input.io.stdout.write(
        input.values.format === 'json'
          ? JSON.stringify(summary) + '\n'
          : withNewline(formatPairsSummary(summary)),
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
