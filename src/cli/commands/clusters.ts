// `prefloop clusters`: the failure clusters found so far, with their trend across runs.
import { ClusterStore } from '../../cluster/ClusterStore.js';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { listClusters } from '../../cluster/clusterListing.js';
import { clusterReport } from '../../cluster/clusterReport.js';
import type { Command } from '../Command.js';
import { withClientStore } from '../resolve.js';
import { formatChoice } from './clusterOptions.js';

export const clustersCommand: Command = {
  name: 'clusters',
  summary:
    'list the failure clusters: size, trend (new, growing, shrinking, steady, gone), failing rubrics, exemplar, fix status',
  usage: '[--format table|json] [--out FILE.md]',
  options: { format: { type: 'string' }, out: { type: 'string' } },
  help: [
    '--format table|json  a readable table (default) or one JSON object per cluster per line',
    '--out FILE.md        also write a Markdown report: each cluster with its exemplar, diagnosis, fix and fix status',
  ],
  async run(input) {
    const format = formatChoice(input.values.format);
    const listed = await withClientStore(input, (store) => listClusters(new ClusterStore(store)));
    const out = input.values.out as string | undefined;
    if (out !== undefined) {
      const path = resolve(input.io.cwd, out);
      writeFileSync(path, clusterReport(listed, new Date()));
      input.io.stderr.write(`wrote ${listed.length} clusters to ${path}\n`);
    }
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
