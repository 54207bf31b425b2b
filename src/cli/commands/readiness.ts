// `prefloop readiness`: the seed's decision framework on the store — is preference tuning worth it yet?
import { decideReadiness } from '../../gate/readiness.js';
import { readinessFacts } from '../../gate/readinessStore.js';
import type { Command } from '../Command.js';
import { withClientStore } from '../resolve.js';
import { formatChoice } from './clusterOptions.js';

export const readinessCommand: Command = {
  name: 'readiness',
  summary:
    'is preference tuning worth it yet? yes, maybe or no from volume, rubric stability, calibration, pairs and labels',
  usage: '[--format table|json]',
  options: { format: { type: 'string' } },
  help: ['--format table|json   a readable list (default) or one JSON document'],
  async run(input) {
    const format = formatChoice(input.values.format);
    const facts = await withClientStore(input, (store) => readinessFacts(store));
    const result = decideReadiness(facts);
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
