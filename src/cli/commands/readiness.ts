// `prefloop readiness`: the seed's decision framework on the store — is preference tuning worth it yet?
import { decideReadiness, DEFAULT_LINES } from '../../gate/readiness.js';
import { readinessFacts } from '../../gate/readinessStore.js';
import type { Command } from '../Command.js';
import { withClientStore } from '../resolve.js';
import { formatChoice, integerOption } from './clusterOptions.js';

export const readinessCommand: Command = {
  name: 'readiness',
  summary:
    'is preference tuning worth it yet? yes, maybe or no from volume, rubric stability, calibration, pairs and labels',
  usage: '[--format table|json] [--volume N] [--pairs N]',
  options: { format: { type: 'string' }, volume: { type: 'string' }, pairs: { type: 'string' } },
  help: [
    '--format table|json   a readable list (default) or one JSON document',
    `--volume N            LLM conversations a month for yes (default ${DEFAULT_LINES.conversations}, the seed's line; a tenth is maybe)`,
    `--pairs N             preference pairs for yes (default ${DEFAULT_LINES.pairs}; a tenth is maybe)`,
  ],
  async run(input) {
    const format = formatChoice(input.values.format);
    const lines = {
      conversations: integerOption(input.values.volume, '--volume', 1) ?? DEFAULT_LINES.conversations,
      pairs: integerOption(input.values.pairs, '--pairs', 1) ?? DEFAULT_LINES.pairs,
    };
    const facts = await withClientStore(input, (store) => readinessFacts(store));
    const result = decideReadiness(facts, lines);
    if (format === 'json') {
      input.io.stdout.write(JSON.stringify({ ...result, facts }) + '\n');
      return 0;
    }
    input.io.stdout.write(
      [
        `readiness: ${result.verdict}`,
        ...result.signals.map((s) => `  ${s.level.padEnd(5)}  ${s.name.padEnd(11)}  ${s.reason}`),
        '',
        `next step: ${result.next_step}`,
      ].join('\n') + '\n',
    );
    return 0;
  },
};
