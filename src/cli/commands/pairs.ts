// `prefloop pairs`: what an analyst checks before exporting — counts per source, margins, contradictions.
import { formatPairsSummary, pairsSummary, refreshRubricAgreement } from '../../export/index.js';
import type { Command } from '../Command.js';
import { UsageError } from '../Command.js';
import { withClientStore } from '../resolve.js';

export const pairsCommand: Command = {
  name: 'pairs',
  summary:
    'summarise the preference pairs: counts per source, margins, contradictions and why, rubric agreement with people',
  usage: '[--format table|json]',
  options: { format: { type: 'string' } },
  help: ['--format table|json  a readable summary (default) or one JSON document'],
  async run(input) {
    const format = (input.values.format as string | undefined) ?? 'table';
    if (format !== 'table' && format !== 'json')
      throw new UsageError(`--format must be table or json, not ${JSON.stringify(format)}`);
    // Rubric agreement is measured on the labels in the store now, then shown with the pairs; a store
    // that refuses the write (read-only credentials) shows its last measurement, and says so.
    const summary = await withClientStore(input, async (store) => {
      await refreshRubricAgreement(store).catch((err: Error) =>
        input.io.stderr.write(
          `note: rubric agreement not re-measured (${err.message}); showing the last measurement\n`,
        ),
      );
      return pairsSummary(store);
    });
    input.io.stdout.write(
      format === 'json' ? JSON.stringify(summary) + '\n' : withNewline(formatPairsSummary(summary)),
    );
    return 0;
  },
};

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
