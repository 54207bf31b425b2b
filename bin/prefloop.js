#!/usr/bin/env node
// The `prefloop` command: runs the compiled CLI from dist/ (built by `npm install` via `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write(
    'prefloop: dist/ is missing; run `npm install` (or `npm run build`) in the prefloop folder first\n',
  );
  process.exit(1);
}
const { run } = await import(main);
process.exitCode = await run(process.argv.slice(2));
