// `prefloop clusters`: the failure clusters found so far, with their trend across runs.
import { ClusterStore } from '../../cluster/ClusterStore.js';
import { listClusters } from '../../cluster/clusterListing.js';
import type { Command } from '../Command.js';
import { withClientStore } from '../resolve.js';
import { formatChoice } from './clusterOptions.js';

export const clustersCommand: Command = {
  name: 'clusters',
  summary:
    'list the failure clusters: size, trend (new, growing, shrinking, steady, gone), failing rubrics, exemplar, fix status',
  usage: '[--format table|json]',
  options: { format: { type: 'string' } },
  help: ['--format table|json  a readable table (default) or one JSON object per cluster per line'],
  async run(input) {
    const format = formatChoice(input.values.format);
    const listed = await withClientStore(input, (store) => listClusters(new ClusterStore(store)));
    if (format === 'json') {
      input.io.stdout.write(listed.map((r) => JSON.stringify(r) + '\n').join(''));
      return 0;
    }
    if (listed.length === 0) {
      input.io.stdout.write('no failure clusters yet: run `prefloop cluster` first\n');
      return 0;
    }
    const lines = listed.map(
      (r) =>
        `${r.id}  ${String(r.size).padStart(5)}  ${r.trend.padEnd(9)}  ${r.name}\n` +
        `    rubrics: ${r.failingRubrics.join(', ') || '-'}  exemplar: ${r.exemplarSpanId}  fix: ${r.fixStatus}  seen ${r.firstSeen} to ${r.lastSeen}` +
        (r.diagnosis !== '' ? `\n    diagnosis: ${r.diagnosis}` : ''),
    );
    input.io.stdout.write(
      `${'id'.padEnd(14)}  ${'size'.padStart(5)}  ${'trend'.padEnd(9)}  name\n${lines.join('\n')}\n`,
    );
    return 0;
  },
};
