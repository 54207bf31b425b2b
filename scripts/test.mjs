// Test entry point: finds test files (unit, then integration) and runs them with node's test runner.
// Usage: node scripts/test.mjs [unit|integration] [name-filter]. A test file hanging past 4 minutes (25 for the
// *.long.test.ts files) fails rather than stalling CI.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [kind, filter] = process.argv.slice(2);
const roots = kind ? [join('test', kind)] : [join('test', 'unit'), join('test', 'integration')];

function find(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (name.endsWith('.test.ts') && (!filter || path.includes(filter))) out.push(path);
  }
  return out;
}

const files = roots.flatMap(find);
if (files.length === 0) {
  console.error(`no test files found under ${roots.join(', ')}`);
  process.exit(1);
}
// Files named *.long.test.ts (a 300,000-span burst, every docs code block, a packed install) take minutes on
// two cores: they run after the rest, one at a time, with a limit of 25 minutes a file instead of 4.
const LONG = '.long.test.ts';
const runs = [
  { files: files.filter((f) => !f.endsWith(LONG)), timeout: 240_000, concurrency: 2 },
  { files: files.filter((f) => f.endsWith(LONG)), timeout: 1_500_000, concurrency: 1 },
].filter((r) => r.files.length > 0);
let status = 0;
for (const run of runs) {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${run.concurrency}`,
      `--test-timeout=${run.timeout}`,
      '--test-reporter=spec',
      ...run.files,
    ],
    {
      stdio: 'inherit',
      env: { ...process.env, PREFLOOP_LOG_LEVEL: process.env.PREFLOOP_LOG_LEVEL ?? 'warn' },
    },
  );
  if ((result.status ?? 1) !== 0) status = result.status ?? 1;
}
process.exit(status);
