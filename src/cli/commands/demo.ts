// `prefloop demo`: the whole loop on a bundled sample, on a fresh embedded store; prints what it did.
import { resolve } from 'node:path';
import { runDemo } from '../../demo/runDemo.js';
import type { Command } from '../Command.js';

export const demoCommand: Command = {
  name: 'demo',
  summary:
    'run the loop on a bundled sample: receive, score, pair, export (embedded engine, nothing to install)',
  usage: '[--workdir DIR] [--out DIR]',
  options: { workdir: { type: 'string' }, out: { type: 'string' } },
  help: [
    '--workdir DIR        folder for the demo’s embedded store (default: a new temp folder)',
    '--out DIR            folder for the exported files (default: <workdir>/export)',
  ],
  async run({ values, io }) {
    const workdir = values.workdir as string | undefined;
    const out = values.out as string | undefined;
    await runDemo({
      ...(workdir ? { workdir: resolve(io.cwd, workdir) } : {}),
      ...(out ? { out: resolve(io.cwd, out) } : {}),
      log: (line) => io.stdout.write(`${line}\n`),
    });
    return 0;
  },
};
