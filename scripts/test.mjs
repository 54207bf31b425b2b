// Test entry point: finds test files (unit, then integration) and runs them with node's test runner.
// Usage: node scripts/test.mjs [unit|integration] [name-filter]. A test hanging past 4 minutes fails rather than stalling CI.
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
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-timeout=240000',
    '--test-reporter=spec',
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, PREFLOOP_LOG_LEVEL: 'warn' } },
);
process.exit(result.status ?? 1);
